package io.hookline.bench;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One build's side of {@link AlternatingVerify}: {@code "<scheme>:<n>"} runs n verifications of that
 * scheme's 2 KiB fixture, {@code "floor-<scheme>:<n>"} n bare HMACs (the scheme's floor algorithm and
 * key) over the same body; returns the elapsed nanoseconds. Uses only what {@link Fixture} has
 * offered since issue 18, so it runs against older builds' benchmark jars too.
 */
public final class VerifyLoop implements ToLongFunction<String> {
  public static volatile Object sink;
  private final Map<String, Fixture> fixtures = new HashMap<>();
  private final Map<String, Mac> floors = new HashMap<>();
  private final long now = System.currentTimeMillis();

  @Override
  public long applyAsLong(String spec) {
    int colon = spec.lastIndexOf(':');
    int n = Integer.parseInt(spec.substring(colon + 1));
    boolean floor = spec.startsWith("floor-");
    String scheme = spec.substring(floor ? "floor-".length() : 0, colon);
    Fixture f = fixtures.computeIfAbsent(scheme, s -> Fixture.create(s, 2048, now));
    byte[] body = f.request.body();
    if (floor) {
      Mac mac = floors.computeIfAbsent(scheme, s -> newMac(f));
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink = mac.doFinal(body);
      }
      return System.nanoTime() - t0;
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sink = f.verifier.verify(f.request);
    }
    return System.nanoTime() - t0;
  }

  private static Mac newMac(Fixture f) {
    try {
      Mac mac = Mac.getInstance(f.floorAlgorithm);
      mac.init(new SecretKeySpec(f.floorKey, f.floorAlgorithm));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
