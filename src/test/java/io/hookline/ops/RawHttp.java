package io.hookline.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately plain HTTP/1.1 client: one request per connection ({@code Connection: close}),
 * so every request ends in exactly one observable way: a complete response, a refused connection
 * (nothing listening), or a connection that ended without a complete response ("cut off").
 */
final class RawHttp {
  enum Kind { RESPONSE, REFUSED, CUT_OFF }

  record Result(Kind kind, int status, Map<String, String> headers, String body, String error,
                long sentAtMillis, long doneAtMillis) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp() {}

  static Result post(int port, String path, Map<String, String> headers, byte[] body, int timeoutMs) {
    long sent = System.currentTimeMillis();
    Socket socket = new Socket();
    try {
      try {
        socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
      } catch (ConnectException e) {
        return new Result(Kind.REFUSED, 0, Map.of(), "", e.getMessage(), sent, System.currentTimeMillis());
      }
      socket.setSoTimeout(timeoutMs);
      StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\n")
          .append("Connection: close\r\n")
          .append("Content-Type: application/json\r\n")
          .append("Content-Length: ").append(body.length).append("\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return read(socket.getInputStream(), sent);
    } catch (IOException e) {
      return new Result(Kind.CUT_OFF, 0, Map.of(), "", e.toString(), sent, System.currentTimeMillis());
    } finally {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  private static Result read(InputStream in, long sent) throws IOException {
    ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        return new Result(Kind.CUT_OFF, 0, Map.of(), "", "EOF after " + headBytes.size() + " header bytes",
            sent, System.currentTimeMillis());
      }
      headBytes.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
          : (b == '\r' ? 1 : 0);
    }
    String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    String cl = headers.get("content-length");
    byte[] body;
    if (cl != null) {
      body = in.readNBytes(Integer.parseInt(cl));
      if (body.length < Integer.parseInt(cl)) {
        return new Result(Kind.CUT_OFF, status, headers, "", "EOF in body", sent, System.currentTimeMillis());
      }
    } else {
      body = in.readAllBytes();
    }
    return new Result(Kind.RESPONSE, status, headers, new String(body, StandardCharsets.UTF_8), null, sent,
        System.currentTimeMillis());
  }
}
