/** JMH benchmarks of mediastore-acl against jCasbin 1.81.0 on the same generated media-ACL data. */
package io.mediastore.benchmarks.acl;
