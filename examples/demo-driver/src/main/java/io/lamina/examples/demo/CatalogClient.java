package io.lamina.examples.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * HTTP calls to one catalog instance ({@code /products/}), or to the pricing service ({@code /quotes/}), whose
 * quotes carry their row version the same way.
 */
final class CatalogClient {

  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");
  private static final Pattern ETAG_VERSION = Pattern.compile("^(?:W/)?\"\\d+\\.(\\d+)\"$");

  /** A product response: status, the row version it carries (-1 if none) and its ETag. */
  record Reply(int status, long version, @Nullable String etag) {}

  private final HttpClient http;
  final URI base;
  final String name;
  private final String resource;

  CatalogClient(String name, URI base) {
    this(name, base, "/products/");
  }

  private CatalogClient(String name, URI base, String resource) {
    this.name = name;
    this.base = base;
    this.resource = resource;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /** A client of the pricing service: {@link #get} reads {@code /quotes/{id}}. */
  static CatalogClient pricing(URI base) {
    return new CatalogClient("pricing", base, "/quotes/");
  }

  /** GET /products/{id} (/quotes/{id}), revalidating {@code etag} when given; a 304 has the version of the tag sent. */
  Reply get(long id, @Nullable String etag) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(resource + id)).timeout(Duration.ofSeconds(5));
    if (etag != null) {
      b.header("If-None-Match", etag);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    String tag = r.headers().firstValue("ETag").orElse(null);
    if (r.statusCode() == 304) {
      return new Reply(304, versionOfTag(etag != null ? etag : tag), tag);
    }
    return new Reply(r.statusCode(), r.statusCode() == 200 ? version(r.body()) : -1, tag);
  }

  /** PUT /products/{id}/price; the reply carries the row version the database returned. */
  Reply putPrice(long id, long cents) throws IOException, InterruptedException {
    return put("/products/" + id + "/price", "{\"priceCents\": " + cents + "}");
  }

  /** PUT /quotes/{id}/discount on the pricing service; the reply carries the row version the database returned. */
  Reply putDiscount(long id, int percent) throws IOException, InterruptedException {
    return put("/quotes/" + id + "/discount", "{\"discountPercent\": " + percent + "}");
  }

  private Reply put(String path, String json) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)).build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.statusCode() == 200 ? version(r.body()) : -1,
        r.headers().firstValue("ETag").orElse(null));
  }

  /** The body of a GET on {@code path}, or null when the instance does not answer 200. */
  @Nullable String text(String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static long version(String json) {
    Matcher m = VERSION.matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  static long versionOfTag(@Nullable String etag) {
    if (etag == null) {
      return -1;
    }
    Matcher m = ETAG_VERSION.matcher(etag);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
