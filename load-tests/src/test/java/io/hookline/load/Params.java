package io.hookline.load;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every knob of the simulations is a system property ({@code -Dname=value} on the Maven command
 * line). Values read are remembered so each simulation prints the parameters it really ran with.
 */
public final class Params {
  private static final Map<String, String> USED = new TreeMap<>();

  private Params() {}

  public static String string(String name, String fallback) {
    String v = System.getProperty(name);
    String value = v == null || v.isBlank() ? fallback : v.trim();
    USED.put(name, name.toLowerCase(Locale.ROOT).contains("secret") ? "****" : value);
    return value;
  }

  public static int integer(String name, int fallback) {
    return Integer.parseInt(string(name, Integer.toString(fallback)));
  }

  public static double number(String name, double fallback) {
    return Double.parseDouble(string(name, Double.toString(fallback)));
  }

  /** Target, e.g. http://127.0.0.1:8080 (no trailing slash). */
  public static String baseUrl() {
    String url = string("baseUrl", "http://127.0.0.1:8080");
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Offered load in requests (events) per second. */
  public static double rate(double fallback) {
    return number("rate", fallback);
  }

  /** Length of the main phase in seconds. */
  public static int duration(int fallback) {
    return integer("duration", fallback);
  }

  public static String describe() {
    StringBuilder b = new StringBuilder("parameters:");
    USED.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    return b.toString();
  }
}
