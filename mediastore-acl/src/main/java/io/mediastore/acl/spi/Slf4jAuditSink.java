package io.mediastore.acl.spi;

import io.mediastore.acl.Decision;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link AuditSink}: one line per decision on the logger {@code io.mediastore.acl.audit},
 * denials at INFO, allows at DEBUG. Decisions carry only names and ids, never secrets.
 */
@Singleton
public final class Slf4jAuditSink implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger("io.mediastore.acl.audit");

    @jakarta.inject.Inject
    public Slf4jAuditSink() {
    }

    @Override
    public void record(Decision d) {
        if (d.allowed()) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}", d.explain());
            }
        } else if (LOG.isInfoEnabled()) {
            LOG.info("{}", d.explain());
        }
    }
}
