package org.bwledger.runtime.http;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * TLS for a listener, from PEM files as a Kubernetes TLS Secret holds them ({@code tls.crt},
 * {@code tls.key}, {@code ca.crt}): the server's certificate chain and key, and optionally the CA
 * whose certificates clients must present (mutual TLS). Keys may be PKCS#1 or PKCS#8, RSA or EC,
 * as Helm's {@code genSignedCert} and cert-manager write them.
 *
 * @param certificate the server's certificate, then its chain
 * @param privateKey the server's private key, unencrypted
 * @param clientCa the CA that signs client certificates; null when clients need none
 */
public record TlsSettings(Path certificate, Path privateKey, Path clientCa) {

  private static final char[] IN_MEMORY = new char[0];

  public TlsSettings {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /** True when clients must present a certificate that {@link #clientCa} signed. */
  public boolean requiresClientCertificates() {
    return clientCa != null;
  }

  /**
   * The TLS context of this listener: it presents the certificate, and trusts certificates the client
   * CA signed. A server verifies its clients with it; a replica calling a peer of this listener uses
   * it as a client, presenting the same certificate and verifying the peer's (one CA signs both).
   */
  public SSLContext sslContext() throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = certificates(certificate);
    if (chain.isEmpty()) {
      throw new GeneralSecurityException(certificate + " holds no PEM certificate");
    }
    KeyStore keys = emptyStore();
    keys.setKeyEntry("server", key(privateKey), IN_MEMORY, chain.toArray(new Certificate[0]));
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, IN_MEMORY);
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(clientCa == null ? null : trusted(clientCa));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    return context;
  }

  /** A client's TLS context that presents no certificate and trusts those {@code ca} (PEM) signed. */
  public static SSLContext trusting(Path ca) throws IOException, GeneralSecurityException {
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trusted(ca));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers.getTrustManagers(), null);
    return context;
  }

  private static KeyStore trusted(Path pem) throws IOException, GeneralSecurityException {
    KeyStore store = emptyStore();
    int n = 0;
    for (X509Certificate ca : certificates(pem)) {
      store.setCertificateEntry("ca-" + n++, ca);
    }
    if (n == 0) {
      throw new GeneralSecurityException(pem + " holds no PEM certificate");
    }
    return store;
  }

  private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static List<X509Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader in = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(in)) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    }
    return certificates;
  }

  private static PrivateKey key(Path pem) throws IOException, GeneralSecurityException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (Reader in = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(in)) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate(); // PKCS#1 RSA, SEC 1 EC
        }
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info); // PKCS#8
        }
      }
    }
    throw new GeneralSecurityException(pem + " holds no unencrypted PEM private key");
  }
}
