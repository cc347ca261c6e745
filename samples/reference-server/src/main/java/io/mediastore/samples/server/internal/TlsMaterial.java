package io.mediastore.samples.server.internal;

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
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * The server's TLS key and certificate: a configured PKCS#12 keystore, or a self-signed ECDSA P-256
 * certificate generated with BouncyCastle on first start and kept under the data dir (owner-only files)
 * for later starts.
 */
public final class TlsMaterial {
    public static final String ALIAS = "mediastore";
    private final KeyStore keyStore;
    private final char[] password;
    private final X509Certificate certificate;

    private TlsMaterial(KeyStore keyStore, char[] password) throws GeneralSecurityException {
        this.keyStore = keyStore;
        this.password = password;
        String alias = keyStore.aliases().nextElement();
        if (keyStore.containsAlias(ALIAS)) {
            alias = ALIAS;
        }
        this.certificate = (X509Certificate) keyStore.getCertificate(alias);
    }

    public static TlsMaterial load(Path keystore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        }
        return new TlsMaterial(ks, password.clone());
    }

    /** Loads {@code dir/server.p12} or generates it (with its password in {@code dir/server.pass}). */
    public static synchronized TlsMaterial loadOrCreate(Path dir, List<String> hostnames)
            throws IOException, GeneralSecurityException {
        Path ks = dir.resolve("server.p12");
        Path pass = dir.resolve("server.pass");
        if (Files.exists(ks) && Files.exists(pass)) {
            return load(ks, Files.readString(pass, StandardCharsets.US_ASCII).strip().toCharArray());
        }
        Files.createDirectories(dir);
        byte[] pw = new byte[24];
        new SecureRandom().nextBytes(pw);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(pw).toCharArray();
        KeyStore store = generate(hostnames, password);
        Path tmpPass = ownerOnlyTemp(dir);
        Files.writeString(tmpPass, new String(password), StandardCharsets.US_ASCII);
        Path tmpKs = ownerOnlyTemp(dir);
        try (OutputStream out = Files.newOutputStream(tmpKs)) {
            store.store(out, password);
        }
        Files.move(tmpPass, pass, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmpKs, ks, StandardCopyOption.ATOMIC_MOVE);
        return new TlsMaterial(store, password);
    }

    private static Path ownerOnlyTemp(Path dir) throws IOException {
        Path p = Files.createTempFile(dir, ".tls", ".tmp");
        OwnerOnly.restrict(p);
        return p;
    }

    static KeyStore generate(List<String> hostnames, char[] password) throws GeneralSecurityException, IOException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + (hostnames.isEmpty() ? "localhost" : hostnames.get(0))
                + ", O=MediaStore reference server (self-signed)");
        Instant now = Instant.now();
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(1, serial),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(825))), name, kp.getPublic());
        List<GeneralName> sans = new ArrayList<>();
        for (String h : hostnames) {
            sans.add(new GeneralName(GeneralName.dNSName, h));
        }
        sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        sans.add(new GeneralName(GeneralName.iPAddress, "::1"));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        try {
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, kp.getPrivate(), password, new java.security.cert.Certificate[] {cert});
            return ks;
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the certificate", e);
        }
    }

    public KeyStore keyStore() {
        return keyStore;
    }

    public char[] password() {
        return password.clone();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A trust store holding only this certificate, for clients (tests) that must trust it. */
    public KeyStore trustStore() {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry(ALIAS, certificate);
            return ts;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store", e);
        }
    }

    @Override
    public String toString() {
        return "TlsMaterial[" + certificate.getSubjectX500Principal() + "]";
    }
}
