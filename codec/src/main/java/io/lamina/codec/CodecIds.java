package io.lamina.codec;

/** The envelope ids of Lamina's codecs (1–63 are reserved for Lamina; choose 64–255 for your own). */
public final class CodecIds {

  public static final int FORY = 1;
  public static final int KRYO = 2;
  public static final int JACKSON2 = 3;
  public static final int JACKSON3 = 4;
  /** Core's {@code ValueCodecs.utf8()}. */
  public static final int UTF8 = 5;

  private CodecIds() {}
}
