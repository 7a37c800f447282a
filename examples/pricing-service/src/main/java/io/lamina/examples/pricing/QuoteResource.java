package io.lamina.examples.pricing;

import io.lamina.TierUnavailableException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jspecify.annotations.Nullable;

/**
 * HTTP over the cached quotes. A quote's {@code ETag} is its product id and row version, so a client that sends
 * it back in {@code If-None-Match} gets {@code 304 Not Modified} while the row is unchanged, on any instance, and
 * {@code 200} with the new quote once any instance changed it. {@code Cache-Control: no-cache} makes clients
 * revalidate on every use; the revalidation is answered from L1.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class QuoteResource {

  private static final String REVALIDATE = "no-cache, private";

  /** A discount change. */
  public record DiscountChange(int discountPercent) {}

  /** A new or replaced price. */
  public record NewPrice(long listCents, int discountPercent) {}

  private final QuoteService quotes;

  QuoteResource(QuoteService quotes) {
    this.quotes = quotes;
  }

  @GET
  @Path("quotes/{id}")
  public Response get(@PathParam("id") long id, @HeaderParam("If-None-Match") @Nullable String ifNoneMatch) {
    Quote q = quotes.find(id);
    if (q == null) {
      return Response.status(404).build();
    }
    String etag = etag(q);
    if (matches(ifNoneMatch, etag)) {
      return Response.notModified().header("ETag", etag).header("Cache-Control", REVALIDATE).build();
    }
    return Response.ok(q).header("ETag", etag).header("Cache-Control", REVALIDATE).build();
  }

  @PUT
  @Path("quotes/{id}/discount")
  public Response changeDiscount(@PathParam("id") long id, DiscountChange change) {
    int percent = percent(change.discountPercent());
    Quote q = quotes.changeDiscount(id, percent);
    return q == null ? Response.status(404).build() : Response.ok(q).header("ETag", etag(q)).build();
  }

  @PUT
  @Path("prices/{id}")
  public Response setPrice(@PathParam("id") long id, NewPrice price) {
    if (id <= 0 || price.listCents() < 0) {
      throw new BadRequestException("product id must be positive and listCents not negative");
    }
    Quote q = quotes.setPrice(id, price.listCents(), percent(price.discountPercent()));
    return Response.ok(q).header("ETag", etag(q)).build();
  }

  /** After a change made in the database directly: every instance drops every quote. */
  @POST
  @Path("quotes/invalidate-all")
  public Response invalidateAll() {
    quotes.evictAll();
    return Response.noContent().build();
  }

  /**
   * A write refused because the cache could not invalidate the quote first: nothing changed; try again. (Reads
   * never end here: while Redis is down they are served from L1 or the database.)
   */
  @ServerExceptionMapper
  public Response cacheUnavailable(TierUnavailableException e) {
    return Response.status(503).header("Retry-After", "1").type(MediaType.TEXT_PLAIN)
        .entity("write refused: " + e.getMessage()).build();
  }

  private static int percent(int p) {
    if (p < 0 || p > 99) {
      throw new BadRequestException("discountPercent must be between 0 and 99, was " + p);
    }
    return p;
  }

  /** Id and row version: any write changes it, and equal tags mean equal rows. */
  static String etag(Quote q) {
    return "\"" + q.productId() + "." + q.version() + "\"";
  }

  /** Whether an {@code If-None-Match} header (a list of tags, weak or strong, or {@code *}) holds {@code etag}. */
  static boolean matches(@Nullable String header, String etag) {
    if (header == null) {
      return false;
    }
    for (String tag : header.split(",", -1)) {
      String t = tag.strip();
      if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
