package io.hookline.ingest;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Set;

/**
 * The URL the sender addressed, for URL-signing schemes (Twilio). X-Forwarded-Proto/Host/Port are
 * believed only from a configured trusted proxy: anyone else could forge them.
 */
final class PublicUrl {
  private final Set<String> trustedProxies;

  PublicUrl(Set<String> trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  String of(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    String scheme = request.scheme() == null ? "http" : request.scheme();
    String host = request.authority() == null ? null : request.authority().toString();
    if (remote != null && trustedProxies.contains(remote.hostAddress())) {
      String fProto = first(request.getHeader("X-Forwarded-Proto"));
      String fHost = first(request.getHeader("X-Forwarded-Host"));
      String fPort = first(request.getHeader("X-Forwarded-Port"));
      if (fProto != null) {
        scheme = fProto;
      }
      if (fHost != null) {
        host = fHost;
      }
      if (fPort != null && host != null && host.indexOf(':') < 0 && !isDefaultPort(scheme, fPort)) {
        host = host + ":" + fPort;
      }
    }
    return scheme + "://" + (host == null ? "localhost" : host) + request.uri();
  }

  private static boolean isDefaultPort(String scheme, String port) {
    return ("https".equals(scheme) && "443".equals(port)) || ("http".equals(scheme) && "80".equals(port));
  }

  private static String first(String v) {
    if (v == null) {
      return null;
    }
    int comma = v.indexOf(',');
    String s = (comma < 0 ? v : v.substring(0, comma)).trim();
    return s.isEmpty() ? null : s;
  }
}
