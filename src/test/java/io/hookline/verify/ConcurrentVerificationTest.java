package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;
import static io.hookline.verify.Signing.hex;
import static io.hookline.verify.Signing.hmacSha256;
import static io.hookline.verify.Signing.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Verifiers are shared by every event-loop thread and keep a Mac per thread and key: interleaved
 * valid and invalid requests from many threads must each get their own correct answer.
 */
class ConcurrentVerificationTest {
  static final long NOW = 1_700_000_000_000L;
  static final long T = NOW / 1000;

  @Test
  void manyThreadsShareOneVerifier() throws Exception {
    SignatureVerifier verifier = Verifiers.create(Signing.spec("stripe", List.of("whsec_one", "whsec_two")));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        int seed = thread;
        Callable<Integer> work = () -> {
          int checked = 0;
          for (int i = 0; i < 2_000; i++) {
            String body = "{\"id\":\"evt_" + seed + "_" + i + "\"}";
            String secret = (i & 1) == 0 ? "whsec_one" : "whsec_two";
            boolean tamper = i % 3 == 0;
            String v1 = hex(hmacSha256(secret, utf8(T + "." + body)));
            TestRequest request = TestRequest.at(NOW).body(tamper ? body + " " : body)
                .header("Stripe-Signature", "t=" + T + ",v1=" + v1);
            Verification v = verifier.verify(request);
            if (tamper) {
              assertThat(v.reason()).isEqualTo(Reason.INVALID_SIGNATURE);
            } else {
              assertThat(v.accepted()).isTrue();
              assertThat(v.eventId()).isEqualTo("evt_" + seed + "_" + i);
            }
            checked++;
          }
          return checked;
        };
        results.add(pool.submit(work));
      }
      int total = 0;
      for (Future<Integer> result : results) {
        total += result.get();
      }
      assertThat(total).isEqualTo(16_000);
    } finally {
      pool.shutdownNow();
    }
  }
}
