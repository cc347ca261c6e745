package io.mediastore.passwords.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediastore.passwords.PasswordException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScryptVerifierTest extends LegacyVerifierContract {
    // made by Python's hashlib.scrypt (OpenSSL), formatted as passlib and Werkzeug store them
    private static final Map<String, String> KNOWN = Map.of(
            "$scrypt$ln=10,r=8,p=1$ZGVmZ2hpamtsbW5vcHFycw$POiTCIe+PHnqhTrSHTpeYGlpZc3U5dSOTd1NtPL67X0", "password",
            "scrypt:1024:8:1$pepperSalt$58c1b1c20b8dcea19c3fb1ebf22ef9060c0239d9a8848e23dd48400df06172501998d901db185cce26ce8ad4a9e6f90b044a45f2805646b9f359aa77698287e1", "password",
            "$scrypt$ln=11,r=8,p=1$ZWZnaGlqa2xtbm9wcXJzdA$hdNjqRDBO+p85zfJe8cATG6MmMRg/0Q1cvf6gNCJfEA", "correct horse battery staple",
            "scrypt:1024:8:1$abc12345$c20f0b129ba4490e5d72584c73cdcc8cbc221574b7ec8012117fe5fef68bb3b8097ce82c1e11c5b0787e34104100449090e76ffbad9d2dbc01bdd2e0b14d8df4", "correct horse battery staple",
            "$scrypt$ln=12,r=8,p=1$ZmdoaWprbG1ub3BxcnN0dQ$HPXuKkDz2UWJDoM8FrxxJz0YG5/hXSH4nPYBZbWt1I0", "p\u00e4ssw\u00f6rd-\u00f1",
            "scrypt:1024:8:1$Q$ee9719cef274415c6235fec74d6fdb33b39fe3c12c5f1ca70cb2ea7073c27609848ab125c155086131353d149e5e7d00b4b973fa25ef09760532847bc123a7f3", "p\u00e4ssw\u00f6rd-\u00f1");

    @Override
    protected LegacyVerifier verifier() {
        return new ScryptVerifier();
    }

    @Override
    protected Map<String, String> knownDigests() {
        return KNOWN;
    }

    @Override
    protected List<String> malformedDigests() {
        return List.of("$scrypt$ln=10,r=8$ZGVm$POiTCIe+PHnqhTrSHTpeYGlpZc3U5dSOTd1NtPL67X0",
                "scrypt:1000:8:1$salt$58c1b1c2", "scrypt:1024:8:1$salt$58c", "$scrypt$ln=10,r=8,p=1$Z$POiTCIe",
                "$scrypt$ln=10,r=8,p=1$ZGVm$PO=iTCIe+PHnqh");
    }

    @Test
    void costsBeyondTheCeilingAreRefusedBeforeAllocating() {
        PasswordException e = assertThrows(PasswordException.class, () -> new ScryptVerifier().memoryKiB(
                "$scrypt$ln=30,r=8,p=1$ZGVmZ2hpamtsbW5vcHFycw$POiTCIe+PHnqhTrSHTpeYGlpZc3U5dSOTd1NtPL67X0"));
        assertEquals(PasswordException.Reason.PARAMETERS_OUT_OF_RANGE, e.reason());
        assertEquals(1024, new ScryptVerifier().memoryKiB(KNOWN.keySet().stream()
                .filter(k -> k.startsWith("$scrypt$ln=10")).findFirst().orElseThrow()));
    }
}
