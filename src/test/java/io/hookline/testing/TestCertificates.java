package io.hookline.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for TLS tests, made with the JDK's own {@code keytool} (no extra
 * dependency): a server certificate for 127.0.0.1 and a client certificate, each as a PKCS#12 key
 * store (for the server side), its certificate as PEM, and the client's private key as PKCS#8 PEM
 * (taken out of its key store with the KeyStore API, as keytool cannot export keys).
 */
public final class TestCertificates {
  public static final String STORE_PASSWORD = "changeit-test-only";

  public final Path serverKeyStore;
  public final Path serverCertPem;
  public final Path clientKeyStore;
  public final Path clientCertPem;
  public final String clientKeyPem;
  /** {@link #clientKeyPem} in a file (owner-only), as a deployment would mount it. */
  public final Path clientKeyFile;

  private TestCertificates(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
    serverKeyStore = dir.resolve("server.p12");
    serverCertPem = dir.resolve("server.pem");
    clientKeyStore = dir.resolve("client.p12");
    clientCertPem = dir.resolve("client.pem");
    keyPair(serverKeyStore, "CN=127.0.0.1", "SAN=ip:127.0.0.1,dns:localhost");
    export(serverKeyStore, serverCertPem);
    keyPair(clientKeyStore, "CN=hookline-test-client", null);
    export(clientKeyStore, clientCertPem);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(clientKeyStore)) {
      ks.load(in, STORE_PASSWORD.toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("key", STORE_PASSWORD.toCharArray());
    clientKeyPem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    clientKeyFile = Files.writeString(dir.resolve("client.key"), clientKeyPem);
    clientKeyFile.toFile().setReadable(false, false);
    clientKeyFile.toFile().setReadable(true, true);
  }

  /** A fresh set in a new temporary directory. */
  public static TestCertificates create() {
    try {
      return new TestCertificates(Files.createTempDirectory("hookline-certs"));
    } catch (IOException | InterruptedException | GeneralSecurityException e) {
      throw new IllegalStateException("could not make test certificates with keytool: " + e, e);
    }
  }

  private static void keyPair(Path store, String dn, String extension) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", "key", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "2", "-dname", dn, "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD));
    if (extension != null) {
      args.addAll(List.of("-ext", extension));
    }
    keytool(args);
  }

  private static void export(Path store, Path pem) throws IOException, InterruptedException {
    keytool(List.of("-exportcert", "-rfc", "-alias", "key", "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", STORE_PASSWORD, "-file", pem.toString()));
  }

  private static void keytool(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + args.get(0) + " failed: " + out);
    }
  }
}
