/**
 * Datagram transport for network plugins: a UDP or unix-datagram receiver with a
 * per-datagram limit, a bounded queue while the input is paused (drops counted) and the
 * kernel's own drops read from /proc/net/udp; and a UDP sender for outputs.
 *
 * @module
 */
export {
  type Datagram,
  type DatagramListenOptions,
  DatagramReceiver,
  type DatagramStats,
} from "./receiver.ts";
export { MAX_UDP_PAYLOAD, UdpSender } from "./sender.ts";
export { dropsInTable, kernelDrops } from "./kernel_drops.ts";
