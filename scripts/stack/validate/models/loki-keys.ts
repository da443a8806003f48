/**
 * Every key Loki 3.7 documents in each block of loki.yml that obs-stack renders (its configuration
 * reference, docs/sources/shared/configuration.md, as of v3.7.6: patch releases do not change keys).
 * Loki unmarshals its config strictly, so any other key stops it at startup; the model types the keys
 * we render and accepts the rest of these untyped. Keyed by block: "" is the top level.
 */
export const LOKI_DOCUMENTED_KEYS: Readonly<Record<string, readonly string[]>> = {
  "": [
    "target", "auth_enabled", "ballast_bytes", "server", "ui", "distributor", "querier", "query_engine",
    "query_scheduler", "frontend", "query_range", "ruler", "ruler_storage", "ingester_client", "ingester",
    "pattern_ingester", "index_gateway", "bloom_build", "bloom_gateway", "storage_config", "chunk_store_config",
    "schema_config", "compactor", "compactor_grpc_client", "limits_config", "frontend_worker", "table_manager",
    "memberlist", "kafka_config", "dataobj", "ingest_limits", "ingest_limits_frontend",
    "ingest_limits_frontend_client", "runtime_config", "operational_config", "tracing", "analytics", "profiling",
    "tenant_limits_allow_publish", "common", "shutdown_delay", "metrics_namespace"
  ],
  "server": [
    "http_listen_network", "http_listen_address", "http_listen_port", "http_listen_conn_limit",
    "grpc_listen_network", "grpc_listen_address", "grpc_listen_port", "grpc_listen_conn_limit",
    "grpc_collect_max_streams_by_conn", "proxy_protocol_enabled", "tls_cipher_suites", "tls_min_version",
    "http_tls_config", "grpc_tls_config", "register_instrumentation",
    "report_grpc_codes_in_instrumentation_label_enabled", "graceful_shutdown_timeout", "http_server_read_timeout",
    "http_server_read_header_timeout", "http_server_write_timeout", "http_server_idle_timeout",
    "http_log_closed_connections_without_response_enabled", "grpc_server_max_recv_msg_size",
    "grpc_server_max_send_msg_size", "grpc_server_max_concurrent_streams", "grpc_server_max_connection_idle",
    "grpc_server_max_connection_age", "grpc_server_max_connection_age_grace", "grpc_server_keepalive_time",
    "grpc_server_keepalive_timeout", "grpc_server_min_time_between_pings",
    "grpc_server_ping_without_stream_allowed", "grpc_server_num_workers", "grpc_server_stats_tracking_enabled",
    "grpc_server_recv_buffer_pools_enabled", "log_format", "log_level", "log_source_ips_enabled",
    "log_source_ips_full", "log_source_ips_header", "log_source_ips_regex", "log_request_headers",
    "log_request_at_info_level_enabled", "log_request_exclude_headers_list", "trace_request_headers",
    "trace_request_exclude_headers_list", "http_path_prefix", "cluster_validation", "create_new_traces"
  ],
  "common": [
    "path_prefix", "storage", "persist_tokens", "replication_factor", "ring", "instance_interface_names",
    "instance_addr", "compactor_address", "compactor_grpc_address", "scratch_path"
  ],
  "common.storage": [
    "s3", "gcs", "azure", "alibabacloud", "bos", "swift", "filesystem", "hedging", "cos", "congestion_control",
    "object_store"
  ],
  "common.storage.filesystem": [
    "chunks_directory", "rules_directory"
  ],
  "common.ring": [
    "kvstore", "heartbeat_period", "heartbeat_timeout", "tokens_file_path", "zone_awareness_enabled", "num_tokens",
    "replication_factor", "instance_id", "instance_interface_names", "instance_port", "instance_addr",
    "instance_availability_zone", "instance_enable_ipv6"
  ],
  "common.ring.kvstore": [
    "store", "prefix", "consul", "etcd", "multi"
  ],
  "period_config": [
    "from", "store", "object_store", "schema", "index", "chunks", "row_shards"
  ],
  "period_config.index": [
    "path_prefix", "prefix", "period", "tags"
  ],
  "limits_config": [
    "ingestion_rate_strategy", "ingestion_rate_mb", "ingestion_burst_size_mb", "max_label_name_length",
    "max_label_value_length", "max_label_names_per_series", "reject_old_samples", "reject_old_samples_max_age",
    "creation_grace_period", "max_line_size", "max_line_size_truncate", "max_line_size_truncate_identifier",
    "increment_duplicate_timestamp", "simulated_push_latency", "enable_multi_variant_queries",
    "discover_generic_fields", "discover_service_name", "discover_log_levels", "log_level_fields",
    "log_level_from_json_max_depth", "use_owned_stream_count", "max_streams_per_user",
    "max_global_streams_per_user", "unordered_writes", "per_stream_rate_limit", "per_stream_rate_limit_burst",
    "max_chunks_per_query", "max_query_series", "max_query_lookback", "max_query_length", "max_query_range",
    "max_query_parallelism", "tsdb_max_query_parallelism", "tsdb_max_bytes_per_shard", "tsdb_sharding_strategy",
    "tsdb_precompute_chunks", "cardinality_limit", "max_streams_matchers_per_query",
    "max_concurrent_tail_requests", "max_entries_limit_per_query", "max_cache_freshness_per_query",
    "max_metadata_cache_freshness", "max_stats_cache_freshness", "max_queriers_per_tenant", "max_query_capacity",
    "query_ready_index_num_days", "query_timeout", "split_queries_by_interval",
    "split_metadata_queries_by_interval", "split_recent_metadata_queries_by_interval",
    "recent_metadata_query_window", "split_instant_metric_queries_by_interval",
    "engine_results_cache_time_bucket_interval", "split_ingester_queries_by_interval", "min_sharding_lookback",
    "max_query_bytes_read", "max_querier_bytes_read", "volume_enabled", "volume_max_series",
    "ruler_max_rules_per_rule_group", "ruler_max_rule_groups_per_tenant", "ruler_tenant_shard_size",
    "ruler_enable_wal_replay", "ruler_remote_write_disabled", "ruler_remote_write_url",
    "ruler_remote_write_timeout", "ruler_remote_write_headers", "ruler_remote_write_relabel_configs",
    "ruler_remote_write_queue_capacity", "ruler_remote_write_queue_min_shards",
    "ruler_remote_write_queue_max_shards", "ruler_remote_write_queue_max_samples_per_send",
    "ruler_remote_write_queue_batch_send_deadline", "ruler_remote_write_queue_min_backoff",
    "ruler_remote_write_queue_max_backoff", "ruler_remote_write_queue_retry_on_ratelimit",
    "ruler_remote_write_sigv4_config", "ruler_remote_write_config", "ruler_remote_evaluation_timeout",
    "ruler_remote_evaluation_max_response_size", "deletion_mode", "retention_period", "retention_stream",
    "per_tenant_override_config", "per_tenant_override_period", "allow_deletes", "shard_streams",
    "blocked_queries", "required_labels", "minimum_labels_number", "index_gateway_shard_size",
    "index_gateway_max_capacity", "bloom_gateway_enable_filtering", "bloom_build_max_builders",
    "bloom_build_task_max_retries", "bloom_build_builder_response_timeout", "bloom_creation_enabled",
    "bloom_planning_strategy", "bloom_split_series_keyspace_by", "bloom_task_target_series_chunk_size",
    "bloom_block_encoding", "bloom_prefetch_blocks", "bloom_max_block_size", "bloom_max_bloom_size",
    "allow_structured_metadata", "max_structured_metadata_size", "max_structured_metadata_entries_count",
    "otlp_config", "block_ingestion_policy_until", "block_ingestion_until", "block_ingestion_status_code",
    "enforced_labels", "policy_enforced_labels", "policy_stream_mapping", "ingestion_partitions_tenant_shard_size",
    "shard_aggregations", "pattern_ingester_tokenizable_json_fields_default",
    "pattern_ingester_tokenizable_json_fields_append", "pattern_ingester_tokenizable_json_fields_delete",
    "metric_aggregation_enabled", "pattern_persistence_enabled", "pattern_persistence_granularity",
    "pattern_rate_threshold", "s3_sse_type", "s3_sse_kms_key_id", "s3_sse_kms_encryption_context",
    "max_scan_task_parallelism", "debug_engine_tasks", "debug_engine_streams"
  ],
  "compactor": [
    "working_directory", "compaction_interval", "apply_retention_interval", "retention_enabled",
    "retention_delete_delay", "retention_delete_worker_count", "retention_table_timeout",
    "retention_backoff_config", "delete_request_store", "delete_request_store_key_prefix",
    "delete_request_store_db_type", "backup_delete_request_store_db_type", "delete_batch_size",
    "delete_request_cancel_period", "delete_max_interval", "max_compaction_parallelism", "upload_parallelism",
    "compactor_ring", "tables_to_compact", "skip_latest_n_tables", "horizontal_scaling_mode", "worker_config",
    "jobs_config", "deletion_marker_object_store_prefix"
  ],
  "pattern_ingester": [
    "enabled", "lifecycler", "client_config", "concurrent_flushes", "flush_check_period", "max_clusters",
    "max_eviction_ratio", "metric_aggregation", "pattern_persistence", "tee_config", "connection_timeout",
    "max_allowed_line_length", "retain_for", "max_chunk_age", "pattern_sample_interval", "volume_threshold"
  ],
  "query_range": [
    "align_queries_with_step", "results_cache", "cache_results", "max_retries", "parallelise_shardable_queries",
    "shard_aggregations", "cache_index_stats_results", "index_stats_results_cache", "cache_volume_results",
    "volume_results_cache", "cache_instant_metric_results", "instant_metric_results_cache",
    "instant_metric_query_split_align", "cache_series_results", "series_results_cache", "cache_label_results",
    "label_results_cache"
  ],
  "query_range.results_cache": [
    "cache", "compression"
  ],
  "cache_config": [
    "default_validity", "background", "memcached", "memcached_client", "redis", "embedded_cache"
  ],
  "cache_config.embedded_cache": [
    "enabled", "max_size_mb", "max_size_items", "ttl"
  ],
  "ruler": [
    "external_url", "datasource_uid", "external_labels", "ruler_client", "evaluation_interval", "poll_interval",
    "storage", "rule_path", "alertmanager_url", "enable_alertmanager_discovery", "alertmanager_refresh_interval",
    "enable_alertmanager_v2", "alert_relabel_configs", "notification_queue_capacity", "notification_timeout",
    "alertmanager_client", "for_outage_tolerance", "for_grace_period", "resend_delay", "enable_sharding",
    "sharding_strategy", "sharding_algo", "search_pending_for", "ring", "flush_period", "enable_api",
    "enabled_tenants", "disabled_tenants", "query_stats_enabled", "disable_rule_group_label", "wal", "wal_cleaner",
    "remote_write", "evaluation"
  ],
  "analytics": [
    "reporting_enabled", "usage_stats_url", "proxy_url", "tls_config"
  ],
};
