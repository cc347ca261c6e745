/**
 * Storage benchmarks: S3BlobStore against the AWS SDK's S3TransferManager on the same in-process S3Proxy, and
 * FileSystemBlobStore against {@code cp} followed by {@code sync}; {@link io.mediastore.benchmarks.storage.PeakHeap}
 * measures the heap a 2 GiB put needs.
 */
package io.mediastore.benchmarks.storage;
