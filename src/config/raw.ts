/** The shape of a config document once it has passed the JSON Schema, before defaults are applied. */
import type { StorageResolution, Unit } from "../cloudwatch/units.js";
import type { Combine, HistogramValue } from "./prometheus-options.js";
import type { SystemOptions } from "./system-options.js";

export interface RawShared {
  namespace?: string;
  schedule?: string;
  timezone?: string;
  unit?: Unit;
  storageResolution?: StorageResolution;
  timeout?: string;
  dimensions?: Record<string, string>;
  runOnStart?: boolean;
}

export type RawSource =
  | { type: "constant"; value: number }
  | { type: "env"; variable: string }
  | { type: "command"; command: [string, ...string[]] }
  | { type: "file"; path: string; allowSpecialFile?: boolean }
  | { type: "http"; url: string; jsonPath?: string; headers?: Record<string, string> }
  | ({ type: "system" } & SystemOptions)
  | {
      type: "prometheus";
      url: string;
      metric: string;
      labels?: string[] | Record<string, string>;
      combine?: Combine;
      match?: Record<string, string | string[]>;
      headers?: Record<string, string>;
      histogram?: HistogramValue;
    };

export interface RawMetric extends RawShared {
  name: string;
  scale?: number;
  source: RawSource;
}

export interface RawDelivery {
  outboxDir?: string;
  maxBufferedDatums?: number;
  fsync?: boolean;
  retryBaseDelay?: string;
  retryMaxDelay?: string;
  requestTimeout?: string;
}

export interface RawHealth {
  port?: number;
  maxUndeliveredAge?: string;
}

export interface RawConfig {
  version?: 1;
  defaults?: RawShared;
  delivery?: RawDelivery;
  health?: RawHealth;
  metrics: RawMetric[];
}
