/**
 * devices/transport: bytes in and out of a device, connect and reconnect. The contract is
 * `Transport` (transport.ts); serial and TCP share the reconnect state machine; MockTransport
 * stands in for both in driver tests.
 */
export {
  Listeners,
  notConnectedError,
  timeoutError,
  disconnectedError,
  closedError,
  openFailedError,
  notFoundError,
  portBusyError,
  permissionDeniedError,
  connectionRefusedError,
  unreachableError,
  type Transport,
  type TransportState,
  type TransportChangeReason,
  type TransportStateChange,
} from './transport';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { withTimeout } from './with-timeout';
export { ReconnectingTransport, type Connector, type Link, type LinkEvents, type ReconnectOptions } from './reconnecting-transport';
export {
  listSerialPorts,
  scanSerialDevices,
  locateDevice,
  identityAt,
  identityOf,
  isUniqueIdentity,
  nodeDeviceFs,
  type SerialPortInfo,
  type DeviceIdentity,
  type DeviceFs,
  type ListSerialPortsOptions,
  type Located,
} from './serial-ports';
export { SerialTransport, describeSerial, serialOpenError, type SerialTransportOptions, type SerialParity } from './serial.transport';
export { TcpTransport, tcpConnectError, type TcpTransportOptions } from './tcp.transport';
export { MockTransport, type MockTransportOptions, type MockResponder } from './mock.transport';
