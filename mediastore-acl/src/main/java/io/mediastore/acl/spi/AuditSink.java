package io.mediastore.acl.spi;

import io.mediastore.acl.Decision;

/**
 * Receives every decision of an {@link io.mediastore.acl.AccessControl} it is installed in. With no
 * sink installed, checks do no audit work at all. Called on the checking thread, so an implementation
 * should hand off slow work (for example to a queue); an exception it throws is logged and does not
 * change the decision.
 */
@FunctionalInterface
public interface AuditSink {
    void record(Decision decision);
}
