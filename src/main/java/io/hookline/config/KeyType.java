package io.hookline.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * How a configuration value is written and checked: parses the resolved text of one scalar, and
 * says in one phrase (for the README table) what it accepts. Errors are {@link IllegalArgumentException}
 * with the sentence after the field name; the loader adds the name.
 */
public interface KeyType<T> {
  T parse(String text);

  /** What the value looks like, for the README reference table. */
  String doc();

  /** Renders a value for {@code describe()} and the README's default column. */
  default String render(T value) {
    return String.valueOf(value);
  }

  static KeyType<String> string() {
    return of("text", s -> s);
  }

  static KeyType<String> matching(String regex, String what) {
    return of("text (" + what + ")", s -> {
      if (!s.matches(regex)) {
        throw new IllegalArgumentException("must be " + what + ", got '" + s + "'");
      }
      return s;
    });
  }

  static KeyType<Integer> integer(int min, int max) {
    return of("integer " + min + ".." + max, s -> {
      int n;
      try {
        n = Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a whole number, got '" + s + "'");
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    });
  }

  /** A share 0..1 (sampling ratios). */
  static KeyType<Double> ratio() {
    return of("number 0..1", s -> {
      double r;
      try {
        r = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a number between 0 and 1, got '" + s + "'");
      }
      if (!(r >= 0 && r <= 1)) {
        throw new IllegalArgumentException("must be between 0 and 1, got " + s.trim());
      }
      return r;
    });
  }

  static KeyType<Integer> port() {
    return of("port 0..65535 (0 = any free port)", s -> integer(0, 65535).parse(s));
  }

  static KeyType<Long> size(long min, long max) {
    return of("bytes (1048576, 512KiB, 1MiB)", s -> {
      long n;
      try {
        n = parseSize(s.trim());
      } catch (NumberFormatException | ArithmeticException e) {
        throw new IllegalArgumentException("must be a byte count like 1048576, 512KiB or 1MiB, got '" + s + "'");
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException("must be between " + min + " and " + max + " bytes, got " + n);
      }
      return n;
    });
  }

  static KeyType<Duration> duration() {
    return of("duration (500ms, 10s, 5m, 72h, 7d)", s -> {
      Duration d;
      try {
        d = parseDuration(s.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("must be a duration like 500ms, 10s, 5m, 72h or 7d, got '" + s + "'");
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("must be positive, got '" + s + "'");
      }
      return d;
    }, KeyType::renderDuration);
  }

  /** A duration within [min, max] (storage.partition). */
  static KeyType<Duration> duration(Duration min, Duration max) {
    KeyType<Duration> any = duration();
    return of("duration " + renderDuration(min) + ".." + renderDuration(max), s -> {
      Duration d = any.parse(s);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException("must be between " + renderDuration(min) + " and " + renderDuration(max)
            + ", got '" + s + "'");
      }
      return d;
    }, KeyType::renderDuration);
  }

  /** Whole seconds, written as a number (toleranceSeconds). */
  static KeyType<Duration> seconds(int min, int max) {
    KeyType<Integer> n = integer(min, max);
    return of("seconds " + min + ".." + max, s -> Duration.ofSeconds(n.parse(s)), d -> Long.toString(d.toSeconds()));
  }

  static KeyType<String> oneOf(String... values) {
    Set<String> allowed = new TreeSet<>(List.of(values));
    return of(String.join(" \\| ", values), s -> {
      String v = s.toLowerCase(Locale.ROOT);
      if (!allowed.contains(v)) {
        throw new IllegalArgumentException("must be one of " + allowed + ", got '" + v + "'");
      }
      return v;
    });
  }

  static KeyType<String> url(String... schemes) {
    Set<String> allowed = new TreeSet<>(List.of(schemes));
    return of(String.join(" \\| ", allowed) + " URL", text -> {
      String v = text.trim();
      try {
        URI uri = new URI(v);
        if (uri.getScheme() == null || !allowed.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException("must be a URL with scheme " + allowed + ", got '" + HooklineConfig.maskUrl(v) + "'");
        }
        if (!uri.getScheme().equals("unix") && (uri.getHost() == null || uri.getHost().isEmpty())) {
          throw new IllegalArgumentException("URL has no host: '" + HooklineConfig.maskUrl(v) + "'");
        }
        return v;
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("is not a valid URL (" + e.getReason() + ")");
      }
    }, HooklineConfig::maskUrl);
  }

  /** A secret: {@code ${VAR}} or {@code file:PATH} (resolved by the loader), never shown. */
  static KeyType<Secret> secret() {
    return of("secret (`${VAR}`, `file:PATH`)", Secret::of, v -> "****");
  }

  /** A Standard Webhooks secret {@code whsec_<base64>} of at least 16 bytes. */
  static KeyType<Secret> whsecSecret() {
    return of("secret `whsec_<base64>`", text -> {
      if (StandardWebhooksSecret.decode(text).length < 16) {
        throw new IllegalArgumentException("key is too short (need at least 16 bytes after base64 decoding)");
      }
      return Secret.of(text);
    }, v -> "****");
  }

  /** {@code N/s} or {@code N/min}, N from 1 to 1,000,000. */
  static KeyType<HooklineConfig.RateLimit> rate() {
    return of("rate `N/s` or `N/min`", text -> {
      String v = text.trim().toLowerCase(Locale.ROOT);
      int slash = v.indexOf('/');
      String unit = slash < 0 ? "" : v.substring(slash + 1).trim();
      Duration per = switch (unit) {
        case "s", "sec", "second" -> Duration.ofSeconds(1);
        case "min", "m", "minute" -> Duration.ofMinutes(1);
        default -> throw new IllegalArgumentException("must be a rate like 100/s or 600/min, got '" + text + "'");
      };
      int n = integer(1, 1_000_000).parse(v.substring(0, slash).trim());
      return new HooklineConfig.RateLimit(n, per);
    });
  }

  static <T> KeyType<T> of(String doc, Function<String, T> parse) {
    return of(doc, parse, String::valueOf);
  }

  static <T> KeyType<T> of(String doc, Function<String, T> parse, Function<T, String> render) {
    return new KeyType<>() {
      @Override
      public T parse(String text) {
        return parse.apply(text);
      }

      @Override
      public String doc() {
        return doc;
      }

      @Override
      public String render(T value) {
        return render.apply(value);
      }
    };
  }

  static long parseSize(String v) {
    String s = v.toLowerCase(Locale.ROOT).replace(" ", "");
    long mult = 1;
    if (s.endsWith("kib") || s.endsWith("kb")) {
      mult = 1024;
      s = s.substring(0, s.length() - (s.endsWith("kib") ? 3 : 2));
    } else if (s.endsWith("mib") || s.endsWith("mb")) {
      mult = 1024 * 1024;
      s = s.substring(0, s.length() - (s.endsWith("mib") ? 3 : 2));
    } else if (s.endsWith("b")) {
      s = s.substring(0, s.length() - 1);
    }
    return Math.multiplyExact(Long.parseLong(s), mult);
  }

  /** 500ms, 10s, 5m, 72h, 7d, a bare number of seconds, or ISO-8601 (PT10S). */
  static Duration parseDuration(String v) {
    String s = v.toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("p")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      char unit = s.charAt(s.length() - 1);
      if (Character.isDigit(unit)) {
        return Duration.ofSeconds(Long.parseLong(s));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      return switch (unit) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException(v);
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(v, e);
    }
  }

  /** The shortest of 250ms, 10s, 5m, 72h, 30d that is exact. */
  static String renderDuration(Duration d) {
    long ms = d.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }
}
