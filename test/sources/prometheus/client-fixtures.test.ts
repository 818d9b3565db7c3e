/**
 * Real exposition bodies, from client libraries' and exporters' own test data and docs (see
 * fixtures/README.md), parse to exactly these families: names, types, HELP, UNIT, labels and values.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { MetricFamily } from "../../../src/sources/prometheus/metric-family.js";
import { REPO_ROOT } from "../../support/cli.js";
import { family, parsed } from "./parsed.js";

const FIXTURES = join(REPO_ROOT, "test/sources/prometheus/fixtures");

function fixture(file: string): string {
  return readFileSync(join(FIXTURES, file), "utf8");
}

const EXPECTED: Record<string, readonly MetricFamily[]> = {
  "node_exporter.txt": [
    family(
      "go_gc_duration_seconds",
      "summary",
      "A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.",
      [],
    ),
    family(
      "go_gc_gogc_percent",
      "gauge",
      "Heap size target percentage configured by the user, otherwise 100. This value is set by the GOGC environment variable, and the runtime/debug.SetGCPercent function. Sourced from /gc/gogc:percent.",
      [],
    ),
    family("node_bcache_btree_read_average_duration_seconds", "gauge", "Average btree read duration.", [
      [
        "node_bcache_btree_read_average_duration_seconds",
        { uuid: "deaddd54-c735-46d5-868e-f331c5fd7c74" },
        1.305e-6,
      ],
    ]),
    family("node_cpu_seconds_total", "counter", "Seconds the CPUs spent in each mode.", [
      ["node_cpu_seconds_total", { cpu: "0", mode: "idle" }, 10870.69],
      ["node_cpu_seconds_total", { cpu: "0", mode: "iowait" }, 2.2],
      ["node_cpu_seconds_total", { cpu: "0", mode: "irq" }, 0.01],
      ["node_cpu_seconds_total", { cpu: "0", mode: "nice" }, 0.19],
      ["node_cpu_seconds_total", { cpu: "0", mode: "softirq" }, 34.1],
      ["node_cpu_seconds_total", { cpu: "0", mode: "steal" }, 0],
      ["node_cpu_seconds_total", { cpu: "0", mode: "system" }, 210.45],
      ["node_cpu_seconds_total", { cpu: "0", mode: "user" }, 444.9],
    ]),
    family(
      "node_dmi_info",
      "gauge",
      "A metric with a constant '1' value labeled by bios_date, bios_release, bios_vendor, bios_version, board_asset_tag, board_name, board_serial, board_vendor, board_version, chassis_asset_tag, chassis_serial, chassis_vendor, chassis_version, product_family, product_name, product_serial, product_sku, product_uuid, product_version, system_vendor if provided by DMI.",
      [
        [
          "node_dmi_info",
          {
            bios_date: "04/12/2021",
            bios_release: "2.2",
            bios_vendor: "Dell Inc.",
            bios_version: "2.2.4",
            board_name: "07PXPY",
            board_serial: ".7N62AI2.GRTCL6944100GP.",
            board_vendor: "Dell Inc.",
            board_version: "A01",
            chassis_asset_tag: "",
            chassis_serial: "7N62AI2",
            chassis_vendor: "Dell Inc.",
            chassis_version: "",
            product_family: "PowerEdge",
            product_name: "PowerEdge R6515",
            product_serial: "7N62AI2",
            product_sku: "SKU=NotProvided;ModelName=PowerEdge R6515",
            product_uuid: "83340ca8-cb49-4474-8c29-d2088ca84dd9",
            product_version: "�\u001c[�",
            system_vendor: "Dell Inc.",
          },
          1,
        ],
      ],
    ),
    family("node_netstat_Icmp_InErrors", "untyped", "Statistic IcmpInErrors.", [
      ["node_netstat_Icmp_InErrors", {}, 0],
    ]),
    family(
      "node_nfsd_reply_cache_nocache_total",
      "counter",
      "Total number of NFSd Reply Cache non-idempotent operations (rename/delete/…).",
      [["node_nfsd_reply_cache_nocache_total", {}, 18622]],
    ),
    family(
      "node_textfile_scrape_error",
      "gauge",
      "1 if there was an error opening or reading a file, 0 otherwise",
      [["node_textfile_scrape_error", {}, 0]],
    ),
    family(
      "node_xfrm_acquire_error_packets_total",
      "counter",
      "State hasn’t been fully acquired before use",
      [["node_xfrm_acquire_error_packets_total", {}, 24532]],
    ),
  ],
  "node_exporter-histogram.txt": [
    family("node_textfile_mtime_seconds", "gauge", "Unixtime mtime of textfiles successfully read.", [
      ["node_textfile_mtime_seconds", { file: "fixtures/textfile/histogram/metrics.prom" }, 1],
    ]),
    family(
      "node_textfile_scrape_error",
      "gauge",
      "1 if there was an error opening or reading a file, 0 otherwise",
      [["node_textfile_scrape_error", {}, 0]],
    ),
    family(
      "prometheus_tsdb_compaction_chunk_range",
      "histogram",
      "Final time range of chunks on their first compaction",
      [
        ["prometheus_tsdb_compaction_chunk_range_bucket", { le: "100" }, 0],
        ["prometheus_tsdb_compaction_chunk_range_bucket", { le: "400" }, 0],
        ["prometheus_tsdb_compaction_chunk_range_bucket", { le: "1600" }, 0],
        ["prometheus_tsdb_compaction_chunk_range_bucket", { le: "6400" }, 0],
        ["prometheus_tsdb_compaction_chunk_range_bucket", { le: "25600" }, 7],
        ["prometheus_tsdb_compaction_chunk_range_bucket", { le: "102400" }, 7],
        ["prometheus_tsdb_compaction_chunk_range_bucket", { le: "409600" }, 1.412839e6],
        ["prometheus_tsdb_compaction_chunk_range_bucket", { le: "1.6384e+06" }, 1.69185e6],
        ["prometheus_tsdb_compaction_chunk_range_bucket", { le: "6.5536e+06" }, 1.691853e6],
        ["prometheus_tsdb_compaction_chunk_range_bucket", { le: "2.62144e+07" }, 1.691853e6],
        ["prometheus_tsdb_compaction_chunk_range_bucket", { le: "+Inf" }, 1.691853e6],
        ["prometheus_tsdb_compaction_chunk_range_sum", {}, 6.71393432189e11],
        ["prometheus_tsdb_compaction_chunk_range_count", {}, 1.691853e6],
      ],
    ),
  ],
  "client_golang.txt": [
    family("http_requests_total", "counter", "Total number of HTTP requests made.", [
      ["http_requests_total", { code: "200", handler: "prometheus", method: "get" }, 119],
    ]),
    family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", [
      ["process_cpu_seconds_total", {}, 0.55],
    ]),
    family("go_goroutines", "gauge", "Number of goroutines that currently exist.", [
      ["go_goroutines", {}, 70],
    ]),
    family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", [
      ["process_resident_memory_bytes", {}, 5.3870592e7],
    ]),
    family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", [
      ["process_start_time_seconds", {}, 1.42236894836e9],
    ]),
    family(
      "prometheus_evaluator_duration_milliseconds",
      "summary",
      "The duration for all evaluations to execute.",
      [
        ["prometheus_evaluator_duration_milliseconds", { quantile: "0.01" }, 0],
        ["prometheus_evaluator_duration_milliseconds", { quantile: "0.05" }, 0],
        ["prometheus_evaluator_duration_milliseconds", { quantile: "0.5" }, 0],
        ["prometheus_evaluator_duration_milliseconds", { quantile: "0.9" }, 1],
        ["prometheus_evaluator_duration_milliseconds", { quantile: "0.99" }, 1],
        ["prometheus_evaluator_duration_milliseconds_sum", {}, 12],
        ["prometheus_evaluator_duration_milliseconds_count", {}, 23],
      ],
    ),
    family(
      "prometheus_local_storage_chunk_ops_total",
      "counter",
      "The total number of chunk operations by their type.",
      [
        ["prometheus_local_storage_chunk_ops_total", { type: "create" }, 598],
        ["prometheus_local_storage_chunk_ops_total", { type: "persist" }, 174],
        ["prometheus_local_storage_chunk_ops_total", { type: "pin" }, 920],
        ["prometheus_local_storage_chunk_ops_total", { type: "transcode" }, 415],
        ["prometheus_local_storage_chunk_ops_total", { type: "unpin" }, 920],
      ],
    ),
    family(
      "prometheus_rule_evaluation_duration_milliseconds",
      "summary",
      "The duration for a rule to execute.",
      [
        ["prometheus_rule_evaluation_duration_milliseconds", { rule_type: "alerting", quantile: "0.5" }, 0],
        ["prometheus_rule_evaluation_duration_milliseconds", { rule_type: "alerting", quantile: "0.9" }, 0],
        ["prometheus_rule_evaluation_duration_milliseconds", { rule_type: "alerting", quantile: "0.99" }, 2],
        ["prometheus_rule_evaluation_duration_milliseconds_sum", { rule_type: "alerting" }, 12],
        ["prometheus_rule_evaluation_duration_milliseconds_count", { rule_type: "alerting" }, 115],
        ["prometheus_rule_evaluation_duration_milliseconds", { rule_type: "recording", quantile: "0.5" }, 0],
        ["prometheus_rule_evaluation_duration_milliseconds", { rule_type: "recording", quantile: "0.9" }, 0],
        ["prometheus_rule_evaluation_duration_milliseconds", { rule_type: "recording", quantile: "0.99" }, 3],
        ["prometheus_rule_evaluation_duration_milliseconds_sum", { rule_type: "recording" }, 15],
        ["prometheus_rule_evaluation_duration_milliseconds_count", { rule_type: "recording" }, 115],
      ],
    ),
    family(
      "prometheus_samples_queue_length",
      "gauge",
      "Current number of items in the queue for unwritten samples. Each item comprises all samples exposed by one target as one metric family (i.e. metrics of the same name).",
      [["prometheus_samples_queue_length", {}, 0]],
    ),
  ],
  "client_python.txt": [
    family("python_info", "gauge", "Python platform information", [
      [
        "python_info",
        { implementation: "CPython", major: "3", minor: "9", patchlevel: "3", version: "3.9.3" },
        1.0,
      ],
    ]),
    family("python_gc_objects_collected_total", "counter", "Objects collected during gc", [
      ["python_gc_objects_collected_total", { generation: "0" }, 73129.0],
      ["python_gc_objects_collected_total", { generation: "1" }, 8594.0],
      ["python_gc_objects_collected_total", { generation: "2" }, 296.0],
    ]),
    family("cc_total", "counter", "A counter", [["cc_total", {}, 1.0]]),
    family("cc_created", "gauge", "A counter", [["cc_created", {}, 123.456]]),
    family("ss", "summary", "A summary", [
      ["ss_count", { a: "c", b: "d" }, 1.0],
      ["ss_sum", { a: "c", b: "d" }, 17.0],
    ]),
    family("ss_created", "gauge", "A summary", [["ss_created", { a: "c", b: "d" }, 123.456]]),
    family("hh", "histogram", "A histogram", [
      ["hh_bucket", { le: "0.005" }, 0.0],
      ["hh_bucket", { le: "0.01" }, 0.0],
      ["hh_bucket", { le: "0.025" }, 0.0],
      ["hh_bucket", { le: "0.05" }, 1.0],
      ["hh_bucket", { le: "0.075" }, 1.0],
      ["hh_bucket", { le: "0.1" }, 1.0],
      ["hh_bucket", { le: "0.25" }, 1.0],
      ["hh_bucket", { le: "0.5" }, 1.0],
      ["hh_bucket", { le: "0.75" }, 1.0],
      ["hh_bucket", { le: "1.0" }, 1.0],
      ["hh_bucket", { le: "2.5" }, 1.0],
      ["hh_bucket", { le: "5.0" }, 1.0],
      ["hh_bucket", { le: "7.5" }, 1.0],
      ["hh_bucket", { le: "10.0" }, 1.0],
      ["hh_bucket", { le: "+Inf" }, 1.0],
      ["hh_count", {}, 1.0],
      ["hh_sum", {}, 0.05],
    ]),
    family("hh_created", "gauge", "A histogram", [["hh_created", {}, 123.456]]),
    family("gh", "histogram", "help", [
      ["gh_bucket", { le: "1.0" }, 4.0],
      ["gh_bucket", { le: "+Inf" }, 5.0],
    ]),
    family("gh_gcount", "gauge", "help", [["gh_gcount", {}, 5.0]]),
    family("gh_gsum", "gauge", "help", [["gh_gsum", {}, 7.0]]),
    family("ii_info", "gauge", "A info", [["ii_info", { a: "c", b: "d", foo: "bar" }, 1.0]]),
    family("ee", "gauge", "An enum", [
      ["ee", { a: "c", b: "d", ee: "foo" }, 0.0],
      ["ee", { a: "c", b: "d", ee: "bar" }, 1.0],
    ]),
    family("cc", "gauge", "A\ngaug\\e", [["cc", { a: '\\x\n"' }, 1.0]]),
    family("ts", "untyped", "help", [
      ["ts", { foo: "a" }, 0.0],
      ["ts", { foo: "b" }, 0.0],
      ["ts", { foo: "c" }, 0.0],
      ["ts", { foo: "d" }, 0.0],
      ["ts", { foo: "e" }, 0.0],
      ["ts", { foo: "f" }, 0.0],
    ]),
  ],
  "client_python.openmetrics.txt": [
    family(
      "cc_seconds",
      "counter",
      "A counter",
      [
        ["cc_seconds_total", {}, 1.0],
        ["cc_seconds_created", {}, 123.456],
      ],
      "seconds",
    ),
    family("ss", "summary", "A summary", [
      ["ss_count", { a: "c", b: "d" }, 1.0],
      ["ss_sum", { a: "c", b: "d" }, 17.0],
      ["ss_created", { a: "c", b: "d" }, 123.456],
    ]),
    family("hh", "histogram", "A histogram", [
      ["hh_bucket", { le: "1.0" }, 1.0],
      ["hh_bucket", { le: "2.0" }, 2.0],
      ["hh_bucket", { le: "3.0" }, 3.0],
      ["hh_bucket", { le: "4.0" }, 4.0],
      ["hh_bucket", { le: "+Inf" }, 4.0],
      ["hh_count", {}, 4.0],
      ["hh_sum", {}, 8.0],
      ["hh_created", {}, 123.456],
    ]),
    family("gh", "gaugehistogram", "help", [
      ["gh_bucket", { le: "1.0" }, 4.0],
      ["gh_bucket", { le: "+Inf" }, 5.0],
      ["gh_gcount", {}, 5.0],
      ["gh_gsum", {}, 7.0],
    ]),
    family("ii", "info", "A info", [["ii_info", { a: "c", b: "d", foo: "bar" }, 1.0]]),
    family("ee", "stateset", "An enum", [
      ["ee", { a: "c", b: "d", ee: "foo" }, 0.0],
      ["ee", { a: "c", b: "d", ee: "bar" }, 1.0],
    ]),
    family("cc", "counter", 'A\ncount\\er"', [
      ["cc_total", { a: '\\x\n"' }, 1.0],
      ["cc_created", { a: '\\x\n"' }, 123.456],
    ]),
    family("ts", "unknown", "help", [
      ["ts", { foo: "a" }, 0.0],
      ["ts", { foo: "b" }, 0.0],
      ["ts", { foo: "c" }, 0.0],
      ["ts", { foo: "d" }, 0.0],
      ["ts", { foo: "e" }, 0.0],
      ["ts", { foo: "f" }, 0.0],
    ]),
  ],
  "client_java.txt": [
    family("integration_test_info", "gauge", "Info metric on this integration test", [
      ["integration_test_info", { test_name: "<app>" }, 1],
    ]),
    family("temperature_celsius", "gauge", "Temperature in Celsius", [
      ["temperature_celsius", { location: "inside" }, 23.0],
      ["temperature_celsius", { location: "outside" }, 27.0],
    ]),
    family("uptime_seconds_total", "counter", "total number of seconds since this application was started", [
      ["uptime_seconds_total", {}, 17.0],
    ]),
    family(
      "jvm_classes_currently_loaded",
      "gauge",
      "The number of classes that are currently loaded in the JVM",
      [["jvm_classes_currently_loaded", {}, 1109.0]],
    ),
    family(
      "jvm_classes_loaded_total",
      "counter",
      "The total number of classes that have been loaded since the JVM has started execution",
      [["jvm_classes_loaded_total", {}, 1109.0]],
    ),
    family(
      "jvm_classes_unloaded_total",
      "counter",
      "The total number of classes that have been unloaded since the JVM has started execution",
      [["jvm_classes_unloaded_total", {}, 0.0]],
    ),
    family(
      "jvm_gc_collection_seconds",
      "summary",
      "Time spent in a given JVM garbage collector in seconds.",
      [
        ["jvm_gc_collection_seconds_count", { gc: "PS MarkSweep" }, 0],
        ["jvm_gc_collection_seconds_sum", { gc: "PS MarkSweep" }, 0.0],
        ["jvm_gc_collection_seconds_count", { gc: "PS Scavenge" }, 0],
        ["jvm_gc_collection_seconds_sum", { gc: "PS Scavenge" }, 0.0],
      ],
    ),
    family("jvm_memory_committed_bytes", "gauge", "Committed (bytes) of a given JVM memory area.", [
      ["jvm_memory_committed_bytes", { area: "heap" }, 4.98597888e8],
      ["jvm_memory_committed_bytes", { area: "nonheap" }, 1.1993088e7],
    ]),
    family("jvm_memory_init_bytes", "gauge", "Initial bytes of a given JVM memory area.", [
      ["jvm_memory_init_bytes", { area: "heap" }, 5.20093696e8],
      ["jvm_memory_init_bytes", { area: "nonheap" }, 2555904.0],
    ]),
    family("jvm_memory_max_bytes", "gauge", "Max (bytes) of a given JVM memory area.", [
      ["jvm_memory_max_bytes", { area: "heap" }, 7.38983936e9],
      ["jvm_memory_max_bytes", { area: "nonheap" }, -1.0],
    ]),
  ],
  "client_java.openmetrics.txt": [
    family("integration_test", "info", "Info metric on this integration test", [
      ["integration_test_info", { test_name: "<app>" }, 1],
    ]),
    family(
      "temperature_celsius",
      "gauge",
      "Temperature in Celsius",
      [
        ["temperature_celsius", { location: "inside" }, 23.0],
        ["temperature_celsius", { location: "outside" }, 27.0],
      ],
      "celsius",
    ),
    family(
      "uptime_seconds",
      "counter",
      "total number of seconds since this application was started",
      [["uptime_seconds_total", {}, 17.0]],
      "seconds",
    ),
    family(
      "request_duration_seconds",
      "histogram",
      "request duration in seconds",
      [
        ["request_duration_seconds_bucket", { http_status: "200", le: "0.005" }, 0],
        ["request_duration_seconds_bucket", { http_status: "200", le: "0.01" }, 5],
        ["request_duration_seconds_bucket", { http_status: "200", le: "0.025" }, 64],
        ["request_duration_seconds_bucket", { http_status: "200", le: "0.05" }, 281],
        ["request_duration_seconds_bucket", { http_status: "200", le: "0.1" }, 1203],
        ["request_duration_seconds_bucket", { http_status: "200", le: "0.25" }, 6338],
        ["request_duration_seconds_bucket", { http_status: "200", le: "0.5" }, 10969],
        ["request_duration_seconds_bucket", { http_status: "200", le: "1.0" }, 11180],
        ["request_duration_seconds_bucket", { http_status: "200", le: "2.5" }, 11209],
        ["request_duration_seconds_bucket", { http_status: "200", le: "5.0" }, 11236],
        ["request_duration_seconds_bucket", { http_status: "200", le: "10.0" }, 11243],
        ["request_duration_seconds_bucket", { http_status: "200", le: "+Inf" }, 11243],
        ["request_duration_seconds_count", { http_status: "200" }, 11243],
        ["request_duration_seconds_sum", { http_status: "200" }, 2843.3178731140015],
      ],
      "seconds",
    ),
    family("jvm_runtime", "info", "JVM runtime info", [
      [
        "jvm_runtime_info",
        { runtime: "OpenJDK Runtime Environment", vendor: "Oracle Corporation", version: "1.8.0_382-b05" },
        1,
      ],
    ]),
    family("feature_flags", "stateset", "Feature flags", [
      ["feature_flags", { env: "dev", feature_flags: "feature1" }, 0],
      ["feature_flags", { env: "dev", feature_flags: "feature2" }, 1],
    ]),
  ],
  "openmetrics-spec.txt": [
    family(
      "acme_http_router_request_seconds",
      "summary",
      "Latency though all of ACME's HTTP request router.",
      [
        ["acme_http_router_request_seconds_sum", { path: "/api/v1", method: "GET" }, 9036.32],
        ["acme_http_router_request_seconds_count", { path: "/api/v1", method: "GET" }, 807283.0],
        ["acme_http_router_request_seconds_created", { path: "/api/v1", method: "GET" }, 1605281325.0],
        ["acme_http_router_request_seconds_sum", { path: "/api/v2", method: "POST" }, 479.3],
        ["acme_http_router_request_seconds_count", { path: "/api/v2", method: "POST" }, 34.0],
        ["acme_http_router_request_seconds_created", { path: "/api/v2", method: "POST" }, 1605281325.0],
      ],
      "seconds",
    ),
    family("go_goroutines", "gauge", "Number of goroutines that currently exist.", [
      ["go_goroutines", {}, 69],
    ]),
    family(
      "process_cpu_seconds",
      "counter",
      "Total user and system CPU time spent in seconds.",
      [["process_cpu_seconds_total", {}, 4.20072246e6]],
      "seconds",
    ),
  ],
};

describe("exposition samples from real client libraries", () => {
  for (const [file, families] of Object.entries(EXPECTED))
    it(`${file} parses to its families`, () => assert.deepEqual(parsed(fixture(file)), families));
});

const SPEC_EXAMPLES: Record<string, readonly MetricFamily[]> = {
  "HELP and UNIT with escapes": [
    family("foo_seconds", "counter", 'Some text and \n some " escaping', [], "seconds"),
  ],
  "label value escapes": [
    family("bar_seconds_count", "untyped", "", [
      ["bar_seconds_count", { a: "x", b: 'escaping" example \n ' }, 0],
    ]),
  ],
  "gauge with timestamps, one series twice": [
    family("foo", "gauge", "", [
      ["foo", {}, 17.0],
      ["foo", {}, 18.0],
    ]),
  ],
  "counter with _created and timestamps": [
    family("foo", "counter", "", [
      ["foo_total", {}, 17.0],
      ["foo_created", {}, 1520430000.123],
    ]),
  ],
  stateset: [
    family("foo", "stateset", "", [
      ["foo", { entity: "controller", foo: "a" }, 1.0],
      ["foo", { entity: "controller", foo: "bb" }, 0.0],
      ["foo", { entity: "controller", foo: "ccc" }, 0.0],
      ["foo", { entity: "replica", foo: "a" }, 1.0],
      ["foo", { entity: "replica", foo: "bb" }, 0.0],
      ["foo", { entity: "replica", foo: "ccc" }, 1.0],
    ]),
  ],
  info: [
    family("foo", "info", "", [
      ["foo_info", { entity: "controller", name: "pretty name", version: "8.2.7" }, 1.0],
      ["foo_info", { entity: "replica", name: "prettier name", version: "8.1.9" }, 1.0],
    ]),
  ],
  "summary with _count, _sum and _created": [
    family("foo", "summary", "", [
      ["foo_count", {}, 17.0],
      ["foo_sum", {}, 324789.3],
      ["foo_created", {}, 1520430000.123],
    ]),
  ],
  "summary with quantiles": [
    family("foo", "summary", "", [
      ["foo", { quantile: "0.95" }, 123.7],
      ["foo", { quantile: "0.99" }, 150.0],
    ]),
  ],
  histogram: [
    family("foo", "histogram", "", [
      ["foo_bucket", { le: "0.0" }, 0],
      ["foo_bucket", { le: "1e-05" }, 0],
      ["foo_bucket", { le: "0.0001" }, 5],
      ["foo_bucket", { le: "0.1" }, 8],
      ["foo_bucket", { le: "1.0" }, 10],
      ["foo_bucket", { le: "10.0" }, 11],
      ["foo_bucket", { le: "100000.0" }, 11],
      ["foo_bucket", { le: "1e+06" }, 15],
      ["foo_bucket", { le: "1e+23" }, 16],
      ["foo_bucket", { le: "1.1e+23" }, 17],
      ["foo_bucket", { le: "+Inf" }, 17],
      ["foo_count", {}, 17],
      ["foo_sum", {}, 324789.3],
      ["foo_created", {}, 1520430000.123],
    ]),
  ],
  "histogram with exemplars": [
    family("foo", "histogram", "", [
      ["foo_bucket", { le: "0.01" }, 0],
      ["foo_bucket", { le: "0.1" }, 8],
      ["foo_bucket", { le: "1" }, 11],
      ["foo_bucket", { le: "10" }, 17],
      ["foo_bucket", { le: "+Inf" }, 17],
      ["foo_count", {}, 17],
      ["foo_sum", {}, 324789.3],
      ["foo_created", {}, 1520430000.123],
    ]),
  ],
  gaugehistogram: [
    family("foo", "gaugehistogram", "", [
      ["foo_bucket", { le: "0.01" }, 20.0],
      ["foo_bucket", { le: "0.1" }, 25.0],
      ["foo_bucket", { le: "1" }, 34.0],
      ["foo_bucket", { le: "10" }, 34.0],
      ["foo_bucket", { le: "+Inf" }, 42.0],
      ["foo_gcount", {}, 42.0],
      ["foo_gsum", {}, 3289.3],
    ]),
  ],
  unknown: [family("foo", "unknown", "", [["foo", {}, 42.23]])],
};

describe("the OpenMetrics specification's examples", () => {
  const examples = JSON.parse(fixture("openmetrics-spec-examples.json")) as Record<string, { text: string }>;
  it("are all covered", () => assert.deepEqual(Object.keys(SPEC_EXAMPLES), Object.keys(examples)));
  for (const [name, families] of Object.entries(SPEC_EXAMPLES))
    it(name, () => assert.deepEqual(parsed(examples[name]!.text), families));
});
