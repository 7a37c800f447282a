package io.lamina.testkit.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A one-command Redis client speaking RESP over a raw socket, for tests that must reach behind the code under
 * test (inspect keys, plant garbage, kill client connections, change configuration). Binary-safe.
 */
public final class Resp {

  /** An error reply ({@code -ERR ...}). */
  public static final class ErrorReply extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ErrorReply(String message) {
      super(message);
    }
  }

  private Resp() {}

  /**
   * Sends one command and returns the reply: {@code String} for simple and bulk strings (UTF-8), {@code Long} for
   * integers, {@code List<Object>} for arrays, null for nil.
   *
   * @throws ErrorReply for an error reply
   * @throws IllegalStateException when the server cannot be reached within {@code timeoutMillis}
   */
  public static @Nullable Object command(String host, int port, int timeoutMillis, byte[]... args) {
    return exchange(host, port, timeoutMillis, false, args);
  }

  /** Like {@link #command(String, int, int, byte[]...)} but bulk strings come back as {@code byte[]}. */
  public static @Nullable Object commandRaw(String host, int port, int timeoutMillis, byte[]... args) {
    return exchange(host, port, timeoutMillis, true, args);
  }

  private static @Nullable Object exchange(String host, int port, int timeoutMillis, boolean raw, byte[]... args) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (byte[] arg : args) {
        request.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(arg);
        request.writeBytes(new byte[] {'\r', '\n'});
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toByteArray());
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()), raw);
    } catch (IOException e) {
      throw new IllegalStateException("redis at " + host + ":" + port + " did not answer: " + e, e);
    }
  }

  static byte[][] utf8(String... args) {
    byte[][] out = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      out[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  private static @Nullable Object read(InputStream in, boolean raw) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new ErrorReply(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] data = in.readNBytes(length);
        in.readNBytes(2);
        return raw ? data : new String(data, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<@Nullable Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read(in, raw));
        }
        return items;
      }
      default:
        throw new IOException("unexpected RESP type " + type + " " + line);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int prev = -1;
    for (int b = in.read(); b != -1; b = in.read()) {
      if (prev == '\r' && b == '\n') {
        byte[] bytes = buf.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      buf.write(b);
      prev = b;
    }
    throw new IOException("connection closed mid-reply");
  }
}
