package io.lamina.spi;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One message on the invalidation bus, and its compact binary wire format.
 *
 * <p>Layout (big-endian): magic {@code 0x4C49} ("LI"), format version 1, kind, origin node id (16 bytes), origin
 * epoch (8), sequence (8), send time (8, microseconds since the epoch on the sender's wall clock: for the
 * publish-to-apply lag only, never for ordering), cache name (2-byte length + UTF-8), entry count (4), then per
 * entry the id (4-byte length + UTF-8) and its version (incarnation 8, counter 8). Ids travel in the payload
 * only.
 *
 * @param kind what the message says
 * @param origin the sending node
 * @param epoch the sender's epoch: random per process start, new after a failed publish
 * @param sequence for {@link Kind#INVALIDATE} and {@link Kind#FLUSH}, this message's number in the sender's
 *     epoch (from 1, no holes); for {@link Kind#HEARTBEAT}, {@link Kind#GOODBYE} and {@link Kind#WAKE}, the
 *     last number sent
 * @param sentAtMicros when the sender handed the message to the transport, by its wall clock
 * @param cache the cache the entries belong to; empty for goodbyes; for heartbeats, a digest of the L2 primary
 *     the sender has handled after a failover (design rule 9), empty when it cannot tell
 * @param entries the invalidated ids with their versions ({@link Kind#INVALIDATE}), or the ids whose load ended
 *     ({@link Kind#WAKE}, versions unused)
 */
public record InvalidationMessage(Kind kind, UUID origin, long epoch, long sequence, long sentAtMicros,
    String cache, List<Entry> entries) {

  /** What a message says. */
  public enum Kind {
    /** These ids changed. */
    INVALIDATE,
    /** The whole cache changed. */
    FLUSH,
    /** The sender is alive and has sent up to {@code sequence}. */
    HEARTBEAT,
    /** The sender is leaving; its next epoch is a new stream, not a gap. */
    GOODBYE,
    /**
     * The sender's load of these ids (under their L2 lease) ended — stored, refused or failed: nodes waiting for
     * it re-read L2. Carries no value and changes nothing.
     */
    WAKE
  }

  /** One invalidated id. */
  public record Entry(String id, Version version) {
    public Entry {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(version, "version");
    }
  }

  public static final short MAGIC = 0x4C49;
  public static final byte FORMAT = 1;
  /** The largest message a node encodes or accepts. */
  public static final int MAX_BYTES = 1 << 20;

  public InvalidationMessage {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(cache, "cache");
    entries = List.copyOf(entries);
  }

  /** Encodes this message. */
  public byte[] encode() {
    byte[] cacheBytes = cache.getBytes(StandardCharsets.UTF_8);
    List<byte[]> ids = new ArrayList<>(entries.size());
    int size = 2 + 1 + 1 + 16 + 8 + 8 + 8 + 2 + cacheBytes.length + 4;
    for (Entry e : entries) {
      byte[] id = e.id().getBytes(StandardCharsets.UTF_8);
      ids.add(id);
      size += 4 + id.length + 16;
    }
    if (size > MAX_BYTES) {
      throw new IllegalArgumentException("invalidation message of " + size + " bytes exceeds " + MAX_BYTES);
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putShort(MAGIC).put(FORMAT).put((byte) kind.ordinal());
    out.putLong(origin.getMostSignificantBits()).putLong(origin.getLeastSignificantBits());
    out.putLong(epoch).putLong(sequence).putLong(sentAtMicros);
    out.putShort((short) cacheBytes.length).put(cacheBytes);
    out.putInt(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      byte[] id = ids.get(i);
      Version v = entries.get(i).version();
      out.putInt(id.length).put(id).putLong(v.incarnation()).putLong(v.counter());
    }
    return out.array();
  }

  /**
   * Decodes a message.
   *
   * @throws IllegalArgumentException if the bytes are malformed, truncated, oversized or of an unknown format
   */
  public static InvalidationMessage decode(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException("message of " + bytes.length + " bytes exceeds " + MAX_BYTES);
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      if (in.getShort() != MAGIC) {
        throw new IllegalArgumentException("not an invalidation message");
      }
      byte format = in.get();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown message format " + format);
      }
      int kindIndex = in.get();
      if (kindIndex < 0 || kindIndex >= Kind.values().length) {
        throw new IllegalArgumentException("unknown message kind " + kindIndex);
      }
      UUID origin = new UUID(in.getLong(), in.getLong());
      long epoch = in.getLong();
      long sequence = in.getLong();
      long sentAt = in.getLong();
      String cache = new String(bytes(in, Short.toUnsignedInt(in.getShort())), StandardCharsets.UTF_8);
      int count = in.getInt();
      if (count < 0 || count > in.remaining() / 20) {
        throw new IllegalArgumentException("entry count " + count + " does not fit the message");
      }
      List<Entry> entries = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String id = new String(bytes(in, in.getInt()), StandardCharsets.UTF_8);
        entries.add(new Entry(id, new Version(in.getLong(), in.getLong())));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " trailing bytes");
      }
      return new InvalidationMessage(Kind.values()[kindIndex], origin, epoch, sequence, sentAt, cache, entries);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated invalidation message", e);
    }
  }

  private static byte[] bytes(ByteBuffer in, int length) {
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("length " + length + " exceeds the message");
    }
    byte[] b = new byte[length];
    in.get(b);
    return b;
  }
}
