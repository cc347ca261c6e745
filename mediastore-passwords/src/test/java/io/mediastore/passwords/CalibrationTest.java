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
