package io.hookline.requests;

import java.util.List;

/**
 * Not a test: prints what one credential fingerprint costs on this machine (docs/requests-log.md).
 * {@code mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt && java -cp
 * target/test-classes:target/classes:$(cat cp.txt) io.hookline.requests.CredentialFingerprintCost}
 */
public final class CredentialFingerprintCost {
  public static void main(String[] args) {
    List<CredentialFingerprints.Masked> one =
        List.of(new CredentialFingerprints.Masked(0, "Authorization", "Basic aG9va2xpbmU6bmV3LXBhc3N3b3Jk"));
    for (int i = 0; i < 300; i++) {
      CredentialFingerprints.of(one);
    }
    int n = 200;
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      CredentialFingerprints.of(one);
    }
    System.out.printf("PBKDF2WithHmacSHA256, %d iterations: %.2f ms per fingerprint%n", CredentialFingerprints.ITERATIONS,
        (System.nanoTime() - t) / 1e6 / n);
  }
}
