package io.mediastore.acl.spi;

import io.mediastore.acl.Decision;

import java.util.concurrent.atomic.AtomicInteger;

/** Registered in the test resources' META-INF/services to test ServiceLoader discovery. */
public final class CountingAuditSink implements AuditSink {
    static final AtomicInteger COUNT = new AtomicInteger();

    @Override
    public void record(Decision decision) {
        COUNT.incrementAndGet();
    }
}
