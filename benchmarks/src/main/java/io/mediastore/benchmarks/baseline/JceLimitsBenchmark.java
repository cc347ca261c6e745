package io.mediastore.benchmarks.baseline;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceilings other suites are measured against: what the bare JCE does on this machine with
 * nothing around it. A token verify cannot beat one HMAC-SHA-256 over its bytes, and HLS packaging
 * cannot beat one AES-128-CBC pass over the segment bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JceLimitsBenchmark {

    /** Bytes per HMAC: about the signed part of a compact access token. */
    @Param({"160"})
    public int tokenBytes;

    /** Bytes per AES pass: a 1 MiB slice of an HLS segment (a multiple of the TS packet and AES block). */
    @Param({"1048576"})
    public int segmentBytes;

    private Mac hmac;
    private byte[] tokenInput;
    private Cipher aesCbc;
    private SecretKeySpec aesKey;
    private IvParameterSpec iv;
    private byte[] segment;
    private byte[] encrypted;

    @Setup
    public void setUp() throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        byte[] macKey = new byte[32];
        random.nextBytes(macKey);
        hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(macKey, "HmacSHA256"));
        tokenInput = new byte[tokenBytes];
        random.nextBytes(tokenInput);

        byte[] key = new byte[16];
        byte[] ivBytes = new byte[16];
        random.nextBytes(key);
        random.nextBytes(ivBytes);
        aesKey = new SecretKeySpec(key, "AES");
        iv = new IvParameterSpec(ivBytes);
        aesCbc = Cipher.getInstance("AES/CBC/PKCS5Padding");
        segment = new byte[segmentBytes];
        random.nextBytes(segment);
        encrypted = new byte[segmentBytes + 16];
    }

    @Benchmark
    public byte[] limitHmacSha256() {
        return hmac.doFinal(tokenInput);
    }

    @Benchmark
    public int limitAes128CbcEncrypt() throws GeneralSecurityException {
        aesCbc.init(Cipher.ENCRYPT_MODE, aesKey, iv);
        return aesCbc.doFinal(segment, 0, segment.length, encrypted, 0);
    }
}
