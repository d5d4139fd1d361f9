package org.bwledger.bwctl.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A certificate's detached Ed25519 signature, in base64, beside it in {@code CERT.sig}. Ed25519 signs
 * deterministically, so the same certificate and key give the same signature. Keys are PEM files as
 * {@code openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout} write them.
 */
final class CertificateSignature {

  private static final String ALGORITHM = "Ed25519";

  private CertificateSignature() {}

  /** Where the signature of {@code certificate} is kept. */
  static Path of(Path certificate) {
    return certificate.resolveSibling(certificate.getFileName() + ".sig");
  }

  /** The signature of {@code certificate} by the PKCS#8 private key in {@code keyFile}. */
  static String sign(String certificate, Path keyFile) throws IOException, GeneralSecurityException {
    PrivateKey key = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(pem(keyFile)));
    Signature signer = Signature.getInstance(ALGORITHM);
    signer.initSign(key);
    signer.update(certificate.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(signer.sign()) + "\n";
  }

  /** Whether {@code signature} is one of {@code certificate} by the key whose X.509 public half is in {@code keyFile}. */
  static boolean verifies(String certificate, String signature, Path keyFile)
      throws IOException, GeneralSecurityException {
    PublicKey key = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(pem(keyFile)));
    Signature verifier = Signature.getInstance(ALGORITHM);
    verifier.initVerify(key);
    verifier.update(certificate.getBytes(StandardCharsets.UTF_8));
    try {
      return verifier.verify(Base64.getDecoder().decode(signature.strip()));
    } catch (IllegalArgumentException e) {
      return false; // not base64: no signature of anything
    }
  }

  /** The DER bytes of a PEM file's one block. */
  private static byte[] pem(Path file) throws IOException, GeneralSecurityException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String body = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException(file + " is not a PEM key");
    }
  }
}
