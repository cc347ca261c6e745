package io.mediastore.passwords;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void iterationsGrowWithTheTargetAndStayWithinIt() {
        Calibration c = Calibration.using(PasswordHasher.builder().build());
        Argon2Parameters start = Argon2Parameters.builder().memoryKiB(4096).iterations(1).build();
        // timing on a shared machine: a burst of load can slow every candidate of one attempt
        Argon2Parameters p = start;
        Duration target = Duration.ZERO;
        for (int attempt = 0; attempt < 3 && p.iterations() < 3; attempt++) {
            target = c.measure(start).multipliedBy(6);
            p = c.iterationsFor(target, start);
        }
        assertTrue(p.iterations() >= 3, p.toString() + " for " + target);
        assertEquals(4096, p.memoryKiB());
        // a target below the starting point keeps the start: never weaker than asked
        assertEquals(start, c.iterationsFor(Duration.ofNanos(1), start));
    }

    @Test
    void iterationsStopAtTheHashersCeilingWhenTheTargetLiesBeyondIt() {
        Argon2Parameters start = TestHashers.small();
        // at m=64 KiB one pass takes well under a millisecond: two seconds would need thousands of passes
        PasswordHasher defaults = PasswordHasher.builder().parameters(start).build();
        Argon2Parameters p = Calibration.using(defaults).iterationsFor(Duration.ofSeconds(2), start);
        assertEquals(PasswordHasher.DEFAULT_MAX_ITERATIONS, p.iterations(), p.toString());
        assertEquals(start.toBuilder().iterations(PasswordHasher.DEFAULT_MAX_ITERATIONS).build(), p);
        // a configured ceiling binds the same way, and the result hashes on the hasher it came from
        PasswordHasher tight = PasswordHasher.builder().parameters(start).ceiling(1024, 8, 1).build();
        Argon2Parameters q = Calibration.using(tight).iterationsFor(Duration.ofSeconds(1), start);
        assertEquals(8, q.iterations(), q.toString());
        assertEquals(64, q.memoryKiB());
        assertTrue(PasswordHasher.builder().parameters(q).ceiling(1024, 8, 1).build()
                .hash("pw".toCharArray()).contains("$m=64,t=8,p=1$"));
    }

    @Test
    void memoryCanBeCalibratedInstead() {
        Calibration c = Calibration.using(PasswordHasher.builder().build());
        Argon2Parameters start = Argon2Parameters.builder().memoryKiB(1024).iterations(1).build();
        Argon2Parameters p = start;
        for (int attempt = 0; attempt < 3 && p.memoryKiB() < 2048; attempt++) {
            p = c.memoryFor(c.measure(start).multipliedBy(5), start);
        }
        assertTrue(p.memoryKiB() >= 2048, p.toString());
        assertEquals(1, p.iterations());
    }

    @Test
    void commandLinePrintsRecommendedParameters() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Calibrate.run(new String[] {"45"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("recommended: m=19456 KiB, t="), text);
        assertTrue(text.contains("Argon2Parameters.builder().memoryKiB(19456)"), text);
        assertEquals(2, Calibrate.run(new String[] {"-5"}, new PrintStream(out), new PrintStream(err)));
    }
}
