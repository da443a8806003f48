/**
 * Every key Promtail 3.6 documents in each block of promtail.yml that obs-stack renders (its
 * configuration reference, docs/sources/send-data/promtail/configuration.md at v3.6.8). Promtail
 * unmarshals its config strictly, so any other key stops it at startup; the model types the keys we
 * render and accepts the rest of these untyped. Keyed by block: "" is the top level.
 */
export const PROMTAIL_DOCUMENTED_KEYS: Readonly<Record<string, readonly string[]>> = {
  "": [
    "global", "server", "clients", "positions", "scrape_configs", "limits_config", "target_config", "options",
    "tracing"
  ],
  "server": [
    "disable", "profiling_enabled", "http_listen_address", "http_listen_port", "grpc_listen_address",
    "grpc_listen_port", "register_instrumentation", "graceful_shutdown_timeout", "http_server_read_timeout",
    "http_server_write_timeout", "http_server_idle_timeout", "grpc_server_max_recv_msg_size",
    "grpc_server_max_send_msg_size", "grpc_server_max_concurrent_streams", "log_level", "http_path_prefix",
    "health_check_target", "enable_runtime_reload"
  ],
  "clients": [
    "url", "headers", "tenant_id", "batchwait", "batchsize", "basic_auth", "oauth2", "bearer_token",
    "bearer_token_file", "proxy_url", "tls_config", "backoff_config", "drop_rate_limited_batches",
    "external_labels", "timeout"
  ],
  "positions": [
    "filename", "sync_period", "ignore_invalid_yaml"
  ],
  "scrape_configs": [
    "job_name", "pipeline_stages", "decompression", "journal", "encoding", "syslog", "loki_push_api",
    "windows_events", "gcplog", "azure_event_hub", "kafka", "gelf", "cloudflare", "heroku_drain",
    "relabel_configs", "static_configs", "file_sd_configs", "kubernetes_sd_configs", "consul_sd_configs",
    "consulagent_sd_configs", "docker_sd_configs"
  ],
  "docker_sd_configs": [
    "host", "proxy_url", "tls_config", "port", "host_networking_host", "match_first_network", "filters",
    "refresh_interval", "basic_auth", "authorization", "oauth2", "follow_redirects", "scrape_configs"
  ],
  "relabel_configs": [
    "source_labels", "separator", "target_label", "regex", "modulus", "replacement", "action"
  ],
};
