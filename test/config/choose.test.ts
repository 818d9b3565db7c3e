import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { heartbeatWarning } from "../../src/config/choose.js";

describe("heartbeatWarning", () => {
  const listing = (names: string[]) => (dir: string) => {
    assert.equal(dir, "/config");
    return names;
  };

  it("names a file in /config that was likely meant as the config", () => {
    assert.equal(
      heartbeatWarning(listing(["config.yml"])),
      "heartbeat mode: there is no /config/config.yaml, but /config holds config.yml; to use a file as the config, name it config.yaml or set CONFIG_FILE (or --config) to it",
    );
  });

  it("lists at most three names", () => {
    assert.match(
      heartbeatWarning(listing(["a.yaml", "b.yaml", "c.yaml", "d.yaml"])) ?? "",
      /holds a\.yaml, b\.yaml, c\.yaml, \.\.\.;/,
    );
  });

  it("says nothing when /config is missing, empty, or holds only Kubernetes' own entries", () => {
    assert.equal(
      heartbeatWarning(() => {
        throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
      }),
      undefined,
    );
    assert.equal(heartbeatWarning(listing([])), undefined);
    assert.equal(heartbeatWarning(listing(["..data", "..2026_01_01_00_00_00.1"])), undefined);
  });
});
