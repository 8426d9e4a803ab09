package io.hookline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Two builds' verifiers in one JVM, each in a class loader of its own benchmarks jar, measured in
 * alternation (the order flipped every round) and reported as medians of the rounds, each with its
 * own floor: an A/B of a change to verification that a 2-core machine shared with other work can
 * still resolve, where separate JMH runs minutes apart differ by more than the change.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.hookline.bench.AlternatingVerify before.jar after.jar
 *     [schemes, default every HMAC scheme] [rounds, default 11]</pre>
 */
public final class AlternatingVerify {
  private static final int CALLS_PER_ROUND = 20_000;
  private static final int WARMUP_ROUNDS = 15;

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: AlternatingVerify <before benchmarks.jar> <after benchmarks.jar> [scheme,...] [rounds]");
      System.exit(2);
    }
    List<String> schemes = new ArrayList<>();
    if (args.length > 2 && !args[2].isEmpty()) {
      schemes.addAll(List.of(args[2].split(",")));
    } else {
      for (String s : Fixture.SCHEMES) {
        if (!Fixture.isToken(s) && Fixture.floorFor(s).startsWith("Hmac")) {
          schemes.add(s);
        }
      }
    }
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 11;
    Map<String, ToLongFunction<String>> sides = new LinkedHashMap<>();
    sides.put("A " + args[0], loop(Path.of(args[0])));
    sides.put("B " + args[1], loop(Path.of(args[1])));
    List<String> specs = new ArrayList<>();
    for (String s : schemes) {
      specs.add("floor-" + s);
      specs.add(s);
    }
    for (int w = 0; w < WARMUP_ROUNDS; w++) {
      for (String spec : specs) {
        sides.values().forEach(side -> side.applyAsLong(spec + ":" + CALLS_PER_ROUND));
      }
    }
    Map<String, List<Double>> nanos = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      List<String> order = new ArrayList<>(sides.keySet());
      if (r % 2 == 1) {
        Collections.reverse(order);
      }
      for (String spec : specs) {
        for (String jar : order) {
          double perCall = sides.get(jar).applyAsLong(spec + ":" + CALLS_PER_ROUND) / (double) CALLS_PER_ROUND;
          nanos.computeIfAbsent(jar + " " + spec, k -> new ArrayList<>()).add(perCall);
        }
      }
    }
    System.out.println("| scheme | " + String.join(" | ", sides.keySet()) + " |");
    System.out.println("|---|" + "---|".repeat(sides.size()));
    for (String s : schemes) {
      StringBuilder row = new StringBuilder("| " + s + " |");
      for (String jar : sides.keySet()) {
        double verify = median(nanos.get(jar + " " + s));
        double floor = median(nanos.get(jar + " floor-" + s));
        row.append(String.format(java.util.Locale.ROOT, " %.0f ns (%.2f×, floor %.0f ns) |", verify, verify / floor, floor));
      }
      System.out.println(row);
    }
    System.out.printf(java.util.Locale.ROOT, "%d rounds of %d calls each, medians; %s%n", rounds, CALLS_PER_ROUND,
        Runtime.version());
  }

  @SuppressWarnings("unchecked")
  private static ToLongFunction<String> loop(Path jar) throws Exception {
    return (ToLongFunction<String>) new SideLoader(jar.toUri().toURL()).loadClass(VerifyLoop.class.getName())
        .getDeclaredConstructor().newInstance();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** One build's classes; {@link VerifyLoop} always this build's, so jars older than it can be measured. */
  private static final class SideLoader extends URLClassLoader {
    SideLoader(URL jar) {
      super(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(VerifyLoop.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded != null) {
          return loaded;
        }
        try (InputStream in = AlternatingVerify.class.getResourceAsStream("VerifyLoop.class")) {
          byte[] bytes = in.readAllBytes();
          return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
      }
    }
  }
}
