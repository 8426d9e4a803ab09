package io.hookline.bench;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor no verifier can beat: the bare primitive over the same body bytes, with the
 * {@link Mac} (or {@link Signature}) created and keyed once and reused, nothing parsed or compared.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class FloorBenchmark {
  @Param({"HmacSHA256", "HmacSHA1", "Ed25519"})
  public String algorithm;

  @Param({"512", "2048", "16384", "262144"})
  public int size;

  private byte[] body;
  private Mac mac;
  private Signature verifier;
  private byte[] signature;

  @Setup
  public void setUp() throws GeneralSecurityException {
    body = Payloads.json("standard", size, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
    if (algorithm.equals("Ed25519")) {
      KeyPair pair = Fixture.ed25519Pair();
      signature = Fixture.ed25519Sign(pair, body);
      verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(pair.getPublic());
    } else {
      mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(Fixture.utf8(Fixture.PLAIN_SECRET), algorithm));
    }
  }

  @Benchmark
  public Object floor() throws GeneralSecurityException {
    if (mac != null) {
      return mac.doFinal(body);
    }
    verifier.update(body);
    return verifier.verify(signature);
  }
}
