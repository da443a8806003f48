// obs-stack testbed stand-in for cAdvisor's cmd/cadvisor.go, copied into
// place as main.go by scripts/go-build/tools/cadvisor.sh. The release's
// package main lives in the nested module github.com/google/cadvisor/cmd,
// which is not published to the Go module proxy. This main wires the released
// library packages the way the upstream main does and serves the Prometheus
// endpoint, /healthz and a few JSON endpoints. The web UI and the rest of the
// REST API are not included.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"

	"github.com/google/cadvisor/lib/cache/memory"
	"github.com/google/cadvisor/lib/container"
	"github.com/google/cadvisor/lib/manager"
	"github.com/google/cadvisor/lib/metrics"
	info "github.com/google/cadvisor/lib/model"
	"github.com/google/cadvisor/lib/utils/sysfs"
	"github.com/google/cadvisor/lib/version"

	// Container providers (upstream: cmd/internal/container/install).
	_ "github.com/google/cadvisor/container/docker/install"
	_ "github.com/google/cadvisor/container/podman/install"
	_ "github.com/google/cadvisor/lib/container/containerd/install"
	_ "github.com/google/cadvisor/lib/container/crio/install"
	_ "github.com/google/cadvisor/lib/container/systemd/install"

	// Filesystem plugins.
	_ "github.com/google/cadvisor/fs/devicemapper/install"
	_ "github.com/google/cadvisor/lib/fs/btrfs/install"
	_ "github.com/google/cadvisor/lib/fs/nfs/install"
	_ "github.com/google/cadvisor/lib/fs/overlay/install"
	_ "github.com/google/cadvisor/lib/fs/tmpfs/install"
	_ "github.com/google/cadvisor/lib/fs/vfs/install"
	_ "github.com/google/cadvisor/lib/fs/zfs/install"
)

var (
	argIP                      = flag.String("listen_ip", "", "IP to listen on, defaults to all IPs")
	argPort                    = flag.Int("port", 8080, "port to listen")
	maxProcs                   = flag.Int("max_procs", 0, "max number of CPUs that can be used simultaneously. Less than 1 for default (number of cores).")
	versionFlag                = flag.Bool("version", false, "print cAdvisor version and exit")
	prometheusEndpoint         = flag.String("prometheus_endpoint", "/metrics", "Endpoint to expose Prometheus metrics on")
	enableProfiling            = flag.Bool("profiling", false, "Enable profiling via web interface host:port/debug/pprof/")
	storeContainerLabels       = flag.Bool("store_container_labels", true, "convert container labels and environment variables into labels on prometheus metrics for each container. If flag set to false, then only metrics exported are container name, first alias, and image name")
	whitelistedContainerLabels = flag.String("whitelisted_container_labels", "", "comma separated list of container labels to be converted to labels on prometheus metrics for each container. store_container_labels must be set to false for this to take effect.")
	envMetadataWhiteList       = flag.String("env_metadata_whitelist", "", "a comma-separated list of environment variable keys matched with specified prefix that needs to be collected for containers, only support containerd and docker runtime for now.")
	urlBasePrefix              = flag.String("url_base_prefix", "", "prefix path that will be prepended to all paths to support some reverse proxies")
	rawCgroupPrefixWhiteList   = flag.String("raw_cgroup_prefix_whitelist", "", "A comma-separated list of cgroup path prefix that needs to be collected even when -docker_only is specified")
	perfEvents                 = flag.String("perf_events_config", "", "Path to a JSON file containing configuration of perf events to measure. Empty value disabled perf events measuring.")
	resctrlInterval            = flag.Duration("resctrl_interval", 0, "Resctrl mon groups updating interval. Zero value disables updating mon groups.")
	storageDuration            = flag.Duration("storage_duration", 2*time.Minute, "How long to keep data stored (Default: 2min).")

	// Same defaults as upstream: these metric groups are off unless enabled.
	ignoreMetrics = container.MetricSet{
		container.MemoryNumaMetrics:              struct{}{},
		container.NetworkTcpUsageMetrics:         struct{}{},
		container.NetworkUdpUsageMetrics:         struct{}{},
		container.NetworkAdvancedTcpUsageMetrics: struct{}{},
		container.ProcessSchedulerMetrics:        struct{}{},
		container.ProcessMetrics:                 struct{}{},
		container.HugetlbUsageMetrics:            struct{}{},
		container.ReferencedMemoryMetrics:        struct{}{},
		container.CPUTopologyMetrics:             struct{}{},
		container.ResctrlMetrics:                 struct{}{},
		container.CPUSetMetrics:                  struct{}{},
	}
	enableMetrics = container.MetricSet{}
)

func init() {
	optstr := container.AllMetrics.String()
	flag.Var(&ignoreMetrics, "disable_metrics", fmt.Sprintf("comma-separated list of `metrics` to be disabled. Options are %s.", optstr))
	flag.Var(&enableMetrics, "enable_metrics", fmt.Sprintf("comma-separated list of `metrics` to be enabled. If set, overrides 'disable_metrics'. Options are %s.", optstr))
}

func main() {
	klog.InitFlags(nil)
	_ = flag.Set("v", "2")
	defer klog.Flush()
	flag.Parse()

	if *versionFlag {
		fmt.Printf("cAdvisor version %s (%s)\n", version.Info["version"], version.Info["revision"])
		os.Exit(0)
	}

	included := container.AllMetrics.Difference(ignoreMetrics)
	if len(enableMetrics) > 0 {
		included = enableMetrics
	}
	klog.V(1).Infof("enabled metrics: %s", included.String())
	if *maxProcs > 0 {
		runtime.GOMAXPROCS(*maxProcs)
	}

	m, err := manager.New(memory.New(*storageDuration, nil), sysfs.NewRealSysFs(), manager.HousekeepingConfigFlags,
		included, strings.Split(*rawCgroupPrefixWhiteList, ","), strings.Split(*envMetadataWhiteList, ","), *perfEvents, *resctrlInterval)
	if err != nil {
		klog.Fatalf("Failed to create a manager: %s", err)
	}

	mux := http.NewServeMux()
	if *enableProfiling {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	}
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.HandleFunc("/api/v2.0/version", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, version.Info["version"], nil) })
	machine := func(w http.ResponseWriter, _ *http.Request) { mi, err := m.GetMachineInfo(); writeJSON(w, mi, err) }
	mux.HandleFunc("/api/v2.0/machine", machine)
	mux.HandleFunc("/api/v1.3/machine", machine)

	labels := metrics.DefaultContainerLabels
	if !*storeContainerLabels {
		labels = metrics.BaseContainerLabels(strings.Split(*whitelistedContainerLabels, ","))
	}
	goCollector := collectors.NewGoCollector()
	processCollector := collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})
	machineCollector := metrics.NewPrometheusMachineCollector(m, included)
	mux.Handle(*prometheusEndpoint, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		opts := info.RequestOptions{IdType: info.TypeName, Count: 1, Recursive: true}
		r := prometheus.NewRegistry()
		r.MustRegister(metrics.NewPrometheusCollector(m, labels, included, clock.RealClock{}, opts),
			machineCollector, goCollector, processCollector)
		promhttp.HandlerFor(r, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}).ServeHTTP(w, req)
	}))
	mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/" {
			http.NotFound(w, req)
			return
		}
		fmt.Fprintf(w, "cAdvisor %s (obs-stack testbed build: no web UI)\nendpoints: %s /healthz /api/v2.0/version /api/v2.0/machine /api/v1.3/machine\n",
			version.Info["version"], *prometheusEndpoint)
	})

	if err := m.Start(); err != nil {
		klog.Fatalf("Failed to start manager: %v", err)
	}
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-c
		if err := m.Stop(); err != nil {
			klog.Errorf("Failed to stop container manager: %v", err)
		}
		klog.Infof("Exiting given signal: %v", sig)
		os.Exit(0)
	}()

	klog.V(1).Infof("Starting cAdvisor version: %s-%s on port %d", version.Info["version"], version.Info["revision"], *argPort)
	root := http.NewServeMux()
	root.Handle(*urlBasePrefix+"/", http.StripPrefix(*urlBasePrefix, mux))
	klog.Fatal(http.ListenAndServe(fmt.Sprintf("%s:%d", *argIP, *argPort), root))
}

func writeJSON(w http.ResponseWriter, v any, err error) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
