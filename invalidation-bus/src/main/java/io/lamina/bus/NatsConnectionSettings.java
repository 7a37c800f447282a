package io.lamina.bus;

import io.lamina.Redact;
import io.nats.client.AuthHandler;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * How {@link NatsInvalidationBus#connect(NatsConnectionSettings)} reaches NATS: the server URL, at most one way to
 * authenticate (a credentials file, an nkey seed file, a token, or a user name and password) and TLS (the JDK's
 * default trust, or a trust store and optionally a key store for client certificates). Immutable.
 *
 * <p>Settings are named as the integrations name their properties ({@code url}, {@code credentials-file},
 * {@code nkey-seed-file}, {@code token}, {@code username}, {@code password}, {@code tls.enabled},
 * {@code tls.trust-store}, ...), under a prefix given to {@link #custom(String)} such as
 * {@code lamina.bus.nats.}; every error names the setting and never contains a secret. Files are checked (and
 * stores opened) when the settings are built, so a missing file or a wrong store password fails at start-up.
 *
 * <p>Past 300 lines because every setting is checked here, at build time, where the error can name it: two ways
 * to authenticate refused, files read, nkey seeds parsed and TLS stores opened, beside the public {@link Builder}.
 */
public final class NatsConnectionSettings {

  /** A setting that cannot be used; {@link #setting()} is its full name, the message names it and hides secrets. */
  public static final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String setting;

    InvalidSettingException(String setting, String problem) {
      super(setting + ": " + problem);
      this.setting = setting;
    }

    /** The full name of the setting at fault, such as {@code lamina.bus.nats.token}. */
    public String setting() {
      return setting;
    }
  }

  /** The shortest connection timeout used with TLS. */
  static final Duration TLS_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  private final String prefix;
  private final String url;
  private final @Nullable AuthHandler authHandler;
  private final char @Nullable [] token;
  private final @Nullable String username;
  private final char @Nullable [] password;
  private final @Nullable SSLContext sslContext;
  private final boolean defaultTls;

  private NatsConnectionSettings(Builder b) {
    this.prefix = b.prefix;
    this.url = b.url;
    List<String> auth = new ArrayList<>();
    if (b.credentialsFile != null) {
      auth.add(prefix + "credentials-file");
    }
    if (b.nkeySeedFile != null) {
      auth.add(prefix + "nkey-seed-file");
    }
    if (b.token != null) {
      auth.add(prefix + "token");
    }
    if (b.username != null || b.password != null) {
      auth.add(prefix + "username/password");
    }
    String userInfo = userInfo(prefix, url);
    if (userInfo != null) {
      auth.add(prefix + "url (user-info before @)");
    }
    if (auth.size() > 1) {
      throw new InvalidSettingException(auth.get(0), "set together with " + String.join(" and ",
          auth.subList(1, auth.size())) + "; NATS takes one way to authenticate, choose one");
    }
    if ((b.username == null) != (b.password == null)) {
      throw new InvalidSettingException(prefix + (b.username == null ? "username" : "password"),
          "missing: a user name needs a password and the other way round");
    }
    if (b.credentialsFile != null) {
      String file = readable(prefix + "credentials-file", b.credentialsFile).toString();
      this.authHandler = Nats.credentials(file);
    } else if (b.nkeySeedFile != null) {
      this.authHandler = nkey(prefix + "nkey-seed-file", readable(prefix + "nkey-seed-file", b.nkeySeedFile));
    } else {
      this.authHandler = null;
    }
    this.token = b.token == null ? null : b.token.toCharArray();
    this.username = b.username;
    this.password = b.password == null ? null : b.password.toCharArray();
    if (b.keyStorePassword != null && b.keyStore == null) {
      throw new InvalidSettingException(prefix + "tls.key-store", "missing, but tls.key-store-password is set");
    }
    if (b.trustStorePassword != null && b.trustStore == null) {
      throw new InvalidSettingException(prefix + "tls.trust-store", "missing, but tls.trust-store-password is set");
    }
    if (b.trustStore != null || b.keyStore != null) {
      this.sslContext = sslContext(prefix, b);
      this.defaultTls = false;
    } else {
      this.sslContext = null;
      this.defaultTls = b.tls;
    }
  }

  /** Settings whose errors name {@code url}, {@code token}, ... as they are. */
  public static Builder custom() {
    return new Builder("");
  }

  /** Settings whose errors name each setting under {@code prefix}, such as {@code lamina.bus.nats.}. */
  public static Builder custom(String prefix) {
    return new Builder(Objects.requireNonNull(prefix, "prefix"));
  }

  /** The server URL, with any user-info replaced by {@code ***}, fit for a log line. */
  public String redactedUrl() {
    return Redact.userInfo(url);
  }

  /** The full name of the URL setting, such as {@code lamina.bus.nats.url}. */
  public String urlSetting() {
    return prefix + "url";
  }

  /**
   * Applies the server, the credentials and TLS to {@code options}. With TLS the connection timeout is at least
   * {@link #TLS_CONNECTION_TIMEOUT}: a first handshake (key exchange, class loading) on a busy host can take
   * seconds.
   */
  void applyTo(Options.Builder options, Duration connectionTimeout) {
    options.server(url);
    boolean tls = sslContext != null || defaultTls || url.startsWith("tls://");
    options.connectionTimeout(tls && connectionTimeout.compareTo(TLS_CONNECTION_TIMEOUT) < 0
        ? TLS_CONNECTION_TIMEOUT : connectionTimeout);
    if (authHandler != null) {
      options.authHandler(authHandler);
    }
    if (token != null) {
      options.token(token.clone());
    }
    if (username != null && password != null) {
      options.userInfo(username.toCharArray(), password.clone());
    }
    if (sslContext != null) {
      options.sslContext(sslContext);
    } else if (defaultTls) {
      try {
        options.secure();
      } catch (GeneralSecurityException e) {
        throw new InvalidSettingException(prefix + "tls.enabled", "the JDK has no default TLS context: " + e);
      }
    }
  }

  private static @Nullable String userInfo(String prefix, String url) {
    try {
      return URI.create(url).getRawUserInfo();
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(prefix + "url", "not a URL such as nats://127.0.0.1:4222 ("
          + Redact.userInfo(url) + ")");
    }
  }

  private static Path readable(String setting, String file) {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new InvalidSettingException(setting, "no readable file at " + path.toAbsolutePath());
    }
    return path;
  }

  private static AuthHandler nkey(String setting, Path file) {
    String seed;
    try {
      seed = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new InvalidSettingException(setting, "cannot read " + file + ": " + e.getClass().getSimpleName());
    }
    NKey key;
    try {
      key = NKey.fromSeed(seed.toCharArray());
    } catch (RuntimeException e) {
      throw new InvalidSettingException(setting, file + " does not hold an nkey seed (a line starting with SU)");
    }
    return new AuthHandler() {
      @Override
      public byte[] sign(byte[] nonce) {
        try {
          return key.sign(nonce);
        } catch (GeneralSecurityException | IOException e) {
          throw new IllegalStateException("cannot sign the NATS nonce with the nkey of " + setting, e);
        }
      }

      @Override
      public char[] getID() {
        try {
          return key.getPublicKey();
        } catch (GeneralSecurityException | IOException e) {
          throw new IllegalStateException("cannot derive the public nkey of " + setting, e);
        }
      }

      @Override
      public char @Nullable [] getJWT() {
        return null;
      }
    };
  }

  private static SSLContext sslContext(String prefix, Builder b) {
    try {
      TrustManagerFactory trust = null;
      if (b.trustStore != null) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(prefix + "tls.trust-store", b.trustStore, b.trustStoreType, b.trustStorePassword));
      }
      KeyManagerFactory keys = null;
      if (b.keyStore != null) {
        char[] password = b.keyStorePassword == null ? new char[0] : b.keyStorePassword.toCharArray();
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(prefix + "tls.key-store", b.keyStore, b.keyStoreType, b.keyStorePassword), password);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new InvalidSettingException(prefix + "tls", "cannot build a TLS context: " + e.getClass().getSimpleName());
    }
  }

  private static KeyStore load(String setting, String file, String type, @Nullable String password) {
    Path path = readable(setting, file);
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password == null ? null : password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidSettingException(setting, "cannot open " + path + " as a " + type + " store (wrong type or"
          + " password?): " + e.getClass().getSimpleName());
    }
  }

  /** Collects the settings; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private final String prefix;
    private String url = "nats://127.0.0.1:4222";
    private @Nullable String credentialsFile;
    private @Nullable String nkeySeedFile;
    private @Nullable String token;
    private @Nullable String username;
    private @Nullable String password;
    private boolean tls;
    private @Nullable String trustStore;
    private @Nullable String trustStorePassword;
    private String trustStoreType = "PKCS12";
    private @Nullable String keyStore;
    private @Nullable String keyStorePassword;
    private String keyStoreType = "PKCS12";

    private Builder(String prefix) {
      this.prefix = prefix;
    }

    /** The server, such as {@code nats://127.0.0.1:4222} ({@code tls://} for TLS with the JDK's trust). */
    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url");
      return this;
    }

    /** A NATS credentials file (a user JWT and its nkey seed), as {@code nsc} writes it. */
    public Builder credentialsFile(@Nullable String file) {
      this.credentialsFile = blankToNull(file);
      return this;
    }

    /** A file holding an nkey seed ({@code SU...}), for a server that lists the user's public nkey. */
    public Builder nkeySeedFile(@Nullable String file) {
      this.nkeySeedFile = blankToNull(file);
      return this;
    }

    /** An authorization token. */
    public Builder token(@Nullable String token) {
      this.token = blankToNull(token);
      return this;
    }

    /** A user name and password. */
    public Builder userInfo(@Nullable String username, @Nullable String password) {
      this.username = blankToNull(username);
      this.password = blankToNull(password);
      return this;
    }

    /** TLS with the JDK's default trust, when no trust store is given. */
    public Builder tls(boolean enabled) {
      this.tls = enabled;
      return this;
    }

    /** A trust store (implies TLS) holding the certificates that sign the server's. */
    public Builder trustStore(@Nullable String file, @Nullable String password, @Nullable String type) {
      this.trustStore = blankToNull(file);
      this.trustStorePassword = blankToNull(password);
      this.trustStoreType = type == null || type.isBlank() ? "PKCS12" : type;
      return this;
    }

    /** A key store (implies TLS) holding this client's certificate and key, for servers that verify clients. */
    public Builder keyStore(@Nullable String file, @Nullable String password, @Nullable String type) {
      this.keyStore = blankToNull(file);
      this.keyStorePassword = blankToNull(password);
      this.keyStoreType = type == null || type.isBlank() ? "PKCS12" : type;
      return this;
    }

    /**
     * The settings.
     *
     * @throws InvalidSettingException naming the setting: two ways to authenticate at once, a user name without
     *     a password, a file that cannot be read, a store that cannot be opened
     */
    public NatsConnectionSettings build() {
      return new NatsConnectionSettings(this);
    }

    private static @Nullable String blankToNull(@Nullable String s) {
      return s == null || s.isBlank() ? null : s;
    }
  }
}
