/** JMH benchmarks of mediastore-passwords against argon2-jvm, BouncyCastle (as Spring Security uses it) and the argon2 CLI. */
package io.mediastore.benchmarks.passwords;
