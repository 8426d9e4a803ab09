import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy that can play a network partition, for the partition drill (JDK only, no build):
 * {@code java deploy/drills/TcpProxy.java LISTEN_PORT TARGET_HOST TARGET_PORT CONTROL_FILE}.
 * Listens on 127.0.0.1:LISTEN_PORT and forwards each connection to TARGET. CONTROL_FILE (read every
 * 100 ms; missing = forward) holds one word:
 * <ul>
 * <li>{@code forward}: bytes flow both ways;
 * <li>{@code blackhole}: nothing is forwarded any more, on open or new connections, and nothing is
 * closed either (packets silently lost: the client only learns from its own timeouts); bytes held
 * flow again on {@code forward}, like a healed link;
 * <li>{@code drop}: every open connection is closed, new ones are closed at once (a firewall
 * answering with resets).
 * </ul>
 * Prints each change of mode with its time.
 */
public final class TcpProxy {
  private static volatile String mode = "forward";
  private static final Set<Socket> OPEN = ConcurrentHashMap.newKeySet();

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: TcpProxy LISTEN_PORT TARGET_HOST TARGET_PORT CONTROL_FILE");
      System.exit(2);
    }
    int listenPort = Integer.parseInt(args[0]);
    InetSocketAddress target = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
    Path control = Path.of(args[3]);
    Thread watcher = new Thread(() -> watch(control), "control");
    watcher.setDaemon(true);
    watcher.start();
    try (ServerSocket server = new ServerSocket(listenPort, 128, InetAddress.getLoopbackAddress())) {
      System.out.println("proxy: 127.0.0.1:" + listenPort + " -> " + target + ", control file " + control);
      while (true) {
        Socket client = server.accept();
        if (mode.equals("drop")) {
          client.close();
          continue;
        }
        Thread t = new Thread(() -> connect(client, target), "connection");
        t.setDaemon(true);
        t.start();
      }
    }
  }

  private static void connect(Socket client, InetSocketAddress target) {
    Socket upstream = new Socket();
    try {
      upstream.connect(target, 5_000);
      upstream.setTcpNoDelay(true);
      client.setTcpNoDelay(true);
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(upstream);
      return;
    }
    OPEN.add(client);
    OPEN.add(upstream);
    Thread up = new Thread(() -> pump(client, upstream), "pump-up");
    up.setDaemon(true);
    up.start();
    pump(upstream, client);
  }

  /** Copies from one side to the other, holding the bytes read while the link is not forwarding. */
  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      do {
        n = in.read(buffer);
        while (!mode.equals("forward")) {
          if (mode.equals("drop")) {
            return;
          }
          Thread.sleep(50);
        }
        if (n > 0) {
          out.write(buffer, 0, n);
        }
      } while (n >= 0);
    } catch (IOException | InterruptedException e) {
      // the other side is gone or we dropped it: close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      OPEN.remove(from);
      OPEN.remove(to);
    }
  }

  private static void watch(Path control) {
    while (true) {
      String wanted = "forward";
      try {
        if (Files.exists(control)) {
          wanted = Files.readString(control).trim();
        }
      } catch (IOException e) {
        wanted = mode;
      }
      if (!wanted.equals("forward") && !wanted.equals("blackhole") && !wanted.equals("drop")) {
        wanted = mode;
      }
      if (!wanted.equals(mode)) {
        mode = wanted;
        System.out.println("proxy: " + Instant.now() + " mode " + wanted + " (" + OPEN.size() / 2 + " connections open)");
        if (wanted.equals("drop")) {
          OPEN.forEach(TcpProxy::closeQuietly);
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
