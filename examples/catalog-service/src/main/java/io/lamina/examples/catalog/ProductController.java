package io.lamina.examples.catalog;

import io.lamina.TierUnavailableException;
import java.net.URI;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * HTTP over the cached catalog. A product's {@code ETag} is its id and row version, so a client (or a proxy)
 * that sends it back in {@code If-None-Match} gets {@code 304 Not Modified} without a body while the row is
 * unchanged, and {@code 200} with the new row once any instance wrote it. {@code Cache-Control: no-cache} lets
 * clients keep the body but makes them revalidate on every use: the answer to a revalidation comes from L1, so
 * it costs about what a local map lookup costs, and it is never older than the cache's staleness bound.
 */
@RestController
@RequestMapping("/products")
public class ProductController {

  private static final CacheControl REVALIDATE = CacheControl.noCache().cachePrivate();

  /** A price change. */
  public record PriceChange(long priceCents) {}

  /** A new product. */
  public record NewProduct(String name, long priceCents) {}

  private final ProductService products;

  ProductController(ProductService products) {
    this.products = products;
  }

  @GetMapping("/{id}")
  public ResponseEntity<Product> get(@PathVariable long id, WebRequest request) {
    Product p = products.find(id);
    if (p == null) {
      return ResponseEntity.notFound().build();
    }
    String etag = etag(p);
    if (request.checkNotModified(etag)) {
      return ResponseEntity.status(304).eTag(etag).cacheControl(REVALIDATE).build();
    }
    return ResponseEntity.ok().eTag(etag).cacheControl(REVALIDATE).body(p);
  }

  @GetMapping
  public ResponseEntity<List<Product>> search(@RequestParam(name = "q", defaultValue = "") String text,
      WebRequest request) {
    List<Product> found = products.search(text);
    String etag = etag(found);
    if (request.checkNotModified(etag)) {
      return ResponseEntity.status(304).eTag(etag).cacheControl(REVALIDATE).build();
    }
    return ResponseEntity.ok().eTag(etag).cacheControl(REVALIDATE).body(found);
  }

  @PutMapping("/{id}/price")
  public ResponseEntity<Product> changePrice(@PathVariable long id, @RequestBody PriceChange change) {
    Product p = products.updatePrice(id, change.priceCents());
    return p == null ? ResponseEntity.notFound().build() : ResponseEntity.ok().eTag(etag(p)).body(p);
  }

  @PostMapping
  public ResponseEntity<Product> create(@RequestBody NewProduct product) {
    Product p = products.create(product.name(), product.priceCents());
    return ResponseEntity.created(URI.create("/products/" + p.id())).eTag(etag(p)).body(p);
  }

  @DeleteMapping("/{id}")
  public ResponseEntity<Void> delete(@PathVariable long id) {
    return products.delete(id) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
  }

  /**
   * A write refused because the cache could not invalidate the product first: nothing changed; try again. (A
   * read never ends here: while Redis is down reads are served from L1 or the database.)
   */
  @ExceptionHandler(TierUnavailableException.class)
  public ResponseEntity<String> cacheUnavailable(TierUnavailableException e) {
    return ResponseEntity.status(503).header("Retry-After", "1")
        .body("write refused, nothing changed: " + e.getMessage());
  }

  /** Id and row version: any write changes it, and equal tags mean equal rows. */
  static String etag(Product p) {
    return "\"" + p.id() + "." + p.version() + "\"";
  }

  /** A list's tag: a hash of its ids and versions, in order. */
  static String etag(List<Product> list) {
    long h = 1125899906842597L;
    for (Product p : list) {
      h = 31 * (31 * h + p.id()) + p.version();
    }
    return "\"q" + Long.toHexString(h) + "." + list.size() + "\"";
  }
}
