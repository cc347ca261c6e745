/**
 * Extension points of io.mediastore.acl: {@link io.mediastore.acl.spi.PolicyStore} (where grants,
 * memberships and objects live; in-memory by default, JDBC included) and
 * {@link io.mediastore.acl.spi.AuditSink} (who hears about decisions). Both are installable in code
 * and discoverable with {@link java.util.ServiceLoader}.
 */
package io.mediastore.acl.spi;
