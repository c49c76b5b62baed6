/** The netdev, netstat and sockstat collectors: `/proc/net/{dev,netstat,snmp,snmp6,sockstat*}`. */
import { fields, lines } from "../host_files.ts";
import type { Collector } from "./types.ts";

/** node_network_{receive,transmit}_<column>_total{device}, columns from the file's header. */
export const netdev: Collector = {
  name: "netdev",
  update({ files }, out) {
    const text = files.read("netdev", `${files.procfs}/net/dev`);
    if (text === undefined) return;
    const all = lines(text);
    const header = all[1]?.split("|");
    if (!header || header.length < 3) {
      files.bad("netdev", "header", all.slice(0, 2).join("\\n"));
      return;
    }
    const rx = fields(header[1]!).map((c) => `receive_${c}`);
    const tx = fields(header[2]!).map((c) => `transmit_${c}`);
    const columns = [...rx, ...tx];
    for (const line of all.slice(2)) {
      const colon = line.indexOf(":");
      const device = line.slice(0, colon).trim();
      const v = fields(line.slice(colon + 1)).map(Number);
      if (colon < 0 || v.length !== columns.length || v.some((n) => !Number.isFinite(n))) {
        files.bad("netdev", "line", line);
        continue;
      }
      columns.forEach((c, i) => {
        out.counter(`node_network_${c}_total`, `Network device statistic ${c}.`, v[i]!, {
          device,
        });
      });
      // node_exporter reads this one from netlink; sysfs has it per device
      const nohandler = files.number(
        "netdev",
        `${files.sysfs}/class/net/${device}/statistics/rx_nohandler`,
      );
      if (nohandler !== undefined) {
        out.counter(
          "node_network_receive_nohandler_total",
          "Network device statistic receive_nohandler.",
          nohandler,
          { device },
        );
      }
    }
  },
};

const NETSTAT_FIELDS = new RegExp(
  "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|" +
    "TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|" +
    "Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|" +
    "Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$",
);

/** Pairs of "Proto: names" / "Proto: values" lines, as in /proc/net/netstat and snmp. */
function pairedStats(
  text: string,
  add: (key: string, value: number) => void,
  bad: (l: string) => void,
) {
  const all = lines(text);
  for (let i = 0; i + 1 < all.length; i += 2) {
    const names = fields(all[i]!);
    const values = fields(all[i + 1]!);
    const proto = names[0]?.replace(/:$/, "");
    if (!proto || names.length !== values.length || values[0] !== names[0]) {
      bad(all[i]!);
      continue;
    }
    for (let j = 1; j < names.length; j++) {
      const v = Number(values[j]);
      if (Number.isFinite(v)) add(`${proto}_${names[j]}`, v);
    }
  }
}

/** node_netstat_<Proto>_<Field> (untyped, as node_exporter) for its default field set. */
export const netstat: Collector = {
  name: "netstat",
  update({ files }, out) {
    const found = new Map<string, number>();
    const add = (key: string, v: number) => {
      if (NETSTAT_FIELDS.test(key)) found.set(key, v);
    };
    const bad = (l: string) => files.bad("netstat", "line", l);
    for (const f of ["netstat", "snmp"]) {
      const text = files.read("netstat", `${files.procfs}/net/${f}`);
      if (text !== undefined) pairedStats(text, add, bad);
    }
    const snmp6 = files.read("netstat", `${files.procfs}/net/snmp6`);
    if (snmp6 !== undefined) {
      for (const line of lines(snmp6)) {
        const [key, raw] = fields(line);
        const m = key?.match(/^(Ip6|Icmp6|Udp6|UdpLite6)(.+)$/);
        const v = Number(raw);
        if (m && Number.isFinite(v)) add(`${m[1]}_${m[2]}`, v);
      }
    }
    for (const [key, v] of [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [proto, field] = [key.slice(0, key.indexOf("_")), key.slice(key.indexOf("_") + 1)];
      out.untyped(`node_netstat_${key}`, `Statistic ${proto}${field}.`, v);
    }
  },
};

/** node_sockstat_<PROTO>_<field> gauges from /proc/net/sockstat and sockstat6. */
export const sockstat: Collector = {
  name: "sockstat",
  update({ files }, out) {
    const pageSize = 4096;
    for (const f of ["sockstat", "sockstat6"]) {
      const text = files.read("sockstat", `${files.procfs}/net/${f}`);
      if (text === undefined) continue;
      for (const line of lines(text)) {
        const colon = line.indexOf(":");
        const proto = line.slice(0, colon);
        const kv = fields(line.slice(colon + 1));
        if (colon < 0 || kv.length % 2 !== 0) {
          files.bad("sockstat", "line", line);
          continue;
        }
        for (let i = 0; i < kv.length; i += 2) {
          const key = kv[i]!;
          const v = Number(kv[i + 1]);
          if (!Number.isFinite(v)) {
            files.bad("sockstat", "line", line);
            continue;
          }
          if (proto === "sockets") {
            out.gauge(`node_sockstat_sockets_${key}`, `Number of IPv4 sockets in use.`, v);
            continue;
          }
          const name = `node_sockstat_${proto}_${key}`;
          out.gauge(name, `Number of ${proto} sockets in state ${key}.`, v);
          if (key === "mem" && (proto === "TCP" || proto === "UDP")) {
            // node_exporter's *_mem_bytes: pages times the page size
            out.gauge(
              `${name}_bytes`,
              `Number of ${proto} sockets in state mem_bytes.`,
              v * pageSize,
            );
          }
        }
      }
    }
  },
};
