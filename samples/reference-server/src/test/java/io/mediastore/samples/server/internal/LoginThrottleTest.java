package io.mediastore.samples.server.internal;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import io.mediastore.samples.server.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The login counters on their own (the HTTP behaviour is in ApiSecurityIT): what an admitted attempt may take back. */
class LoginThrottleTest {
    final TestServers.MovableClock clock = new TestServers.MovableClock();
    LoginThrottle throttle;

    @BeforeEach
    void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:throttle" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").table("ms_schema_history")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        throttle = new LoginThrottle(new Db(ds), clock, 5, 3, Duration.ofMinutes(15));
    }

    @Test
    void aCorrectLoginDoesNotBlockItsAddress() {
        String office = "203.0.113.7";
        // three people behind one address mistype once each: the address reaches its limit of 3
        for (String u : new String[] {"anna", "ben", "chris"}) {
            assertTrue(throttle.admit(u, office).admitted());
        }
        assertEquals(1, throttle.admit("dora", office).retryAfterSeconds(), "the third failure blocks the address for 1 s");
        clock.advance(Duration.ofSeconds(60));
        LoginThrottle.Admission dora = throttle.admit("dora", office);
        assertTrue(dora.admitted());
        throttle.success(dora); // her password was right
        assertTrue(throttle.admit("erik", office).admitted(), "a correct login must not leave its address blocked");
    }

    @Test
    void anAttemptTheServerCouldNotJudgeIsTakenBackWhole() {
        String home = "198.51.100.2";
        for (int i = 0; i < 4; i++) {
            assertTrue(throttle.admit("fay", home + i).admitted()); // four failures for fay, from four addresses
        }
        clock.advance(Duration.ofSeconds(60));
        LoginThrottle.Admission busy = throttle.admit("fay", home);
        assertTrue(busy.admitted()); // her fifth: the limit, so it blocks her user name for 1 s
        throttle.release(busy);      // the hasher was busy: it never counted
        assertTrue(throttle.admit("fay", home).admitted(), "a released attempt leaves no block behind");
        assertEquals(1, throttle.admit("fay", home).retryAfterSeconds(), "that one did count: the fifth failure");
    }
}
