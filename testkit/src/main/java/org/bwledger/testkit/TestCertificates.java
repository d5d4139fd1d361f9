package org.bwledger.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made up for a test, and the certificates it signs, written as PEM files
 * as a Kubernetes TLS Secret holds them. Servers and clients alike get both key usages, as Helm's
 * {@code genSignedCert} gives them.
 */
public final class TestCertificates {

  /** A certificate and its key, as PEM files. */
  public record Issued(Path certificate, Path privateKey) {}

  /** How a private key is written: RSA in PKCS#1 (Helm, cert-manager's default) or EC in PKCS#8. */
  public enum KeyForm { RSA_PKCS1, EC_PKCS8 }

  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private final Path directory;
  private final String name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestCertificates(Path directory, String name, KeyPair keys, X509Certificate certificate) {
    this.directory = directory;
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new authority named {@code name}, its files under {@code directory}. */
  public static TestCertificates authority(String name, Path directory) throws IOException, GeneralSecurityException {
    KeyPair keys = keys(KeyForm.RSA_PKCS1);
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder builder = builder(subject, subject, keys)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    TestCertificates ca = new TestCertificates(Files.createDirectories(directory), name, keys, sign(builder, keys));
    write(ca.caFile(), ca.certificate);
    return ca;
  }

  /** The authority's certificate, the file a server trusts its clients by. */
  public Path caFile() {
    return directory.resolve(name + "-ca.crt");
  }

  /** A certificate for {@code commonName}, valid for the DNS names and IP addresses given. */
  public Issued issue(String commonName, List<String> dnsNames, List<String> ipAddresses, KeyForm form)
      throws IOException, GeneralSecurityException {
    KeyPair leaf = keys(form);
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
    ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
    X509v3CertificateBuilder builder = builder(new X500Name("CN=" + name), new X500Name("CN=" + commonName), leaf)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    if (!names.isEmpty()) {
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(names.toArray(new GeneralName[0])));
    }
    Issued issued = new Issued(directory.resolve(commonName + ".crt"), directory.resolve(commonName + ".key"));
    write(issued.certificate(), sign(builder, keys));
    StringWriter key = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(key)) {
      pem.writeObject(form == KeyForm.RSA_PKCS1 ? new JcaMiscPEMGenerator(leaf.getPrivate())
          : new JcaPKCS8Generator(leaf.getPrivate(), null));
    }
    Files.writeString(issued.privateKey(), key.toString());
    return issued;
  }

  private static KeyPair keys(KeyForm form) throws GeneralSecurityException {
    if (form == KeyForm.EC_PKCS8) {
      KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
      ec.initialize(new ECGenParameterSpec("secp256r1"));
      return ec.generateKeyPair();
    }
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    return rsa.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) throws GeneralSecurityException {
    try {
      String algorithm = issuer.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(algorithm).build(issuer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static void write(Path file, X509Certificate certificate) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(certificate);
    }
    Files.writeString(file, out.toString());
  }
}
