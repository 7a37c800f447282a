package io.lamina.testkit.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 made at test time with the JDK's keytool, written as the PEM files a
 * server takes ({@link #certificate()}, {@link #privateKey()}) and as a PKCS12 trust store for a client
 * ({@link #trustStore()}, password {@link #PASSWORD}). Nothing here is a secret beyond the test that made it.
 *
 * @param certificate the server certificate (PEM)
 * @param privateKey its key (PKCS#8 PEM)
 * @param trustStore a PKCS12 store trusting the certificate
 */
public record TlsFiles(Path certificate, Path privateKey, Path trustStore) {

  /** The password of the stores made here. */
  public static final String PASSWORD = "changeit";

  /** Makes the files in a new temporary directory. */
  public static TlsFiles create() {
    try {
      Path dir = Files.createTempDirectory("lamina-tls-");
      Path keyStore = dir.resolve("server.p12");
      Path cert = dir.resolve("server.crt");
      Path trustStore = dir.resolve("trust.p12");
      keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
          "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", keyStore.toString(),
          "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
      keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
          "-file", cert.toString());
      keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(), "-keystore",
          trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        store.load(in, PASSWORD.toCharArray());
      }
      Key key = store.getKey("server", PASSWORD.toCharArray());
      Path privateKey = dir.resolve("server.key");
      Files.writeString(privateKey, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
      Certificate c = store.getCertificate("server");
      Files.writeString(cert, pem("CERTIFICATE", c.getEncoded()), StandardCharsets.US_ASCII);
      return new TlsFiles(cert, privateKey, trustStore);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make test TLS files", e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void keytool(String... args) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running keytool", e);
    }
  }
}
