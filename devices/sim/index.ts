/**
 * devices/sim: simulators for every device kind, on loopback TCP or a socat pty pair so the real
 * serialport binding is exercised, plus the pure decoders they are built on and `runSimulateCli`
 * (`foyer simulate`).
 */
export { createPtyPair, type PtyPair, type PtyPairOptions } from './pty-pair';
export { openEndpoint, describeAddress, type Endpoint, type EndpointAddress, type EndpointSpec, type Peer } from './endpoint';
export { Emitter } from './emitter';
export {
  EscPosDecoder,
  decodeCode128,
  ticketText,
  type DecodedTicket,
  type TicketElement,
  type TextLine,
  type TextRun,
  type QrElement,
  type BarcodeElement,
  type EscPosDecodeEvent,
  type EscPosDecoderOptions,
} from './escpos-decoder';
export {
  PRINTER_CONDITIONS,
  isOnline,
  realtimeStatusByte,
  asbFrame,
  asbItems,
  asbItemChanged,
  type PrinterCondition,
  type PrinterConditions,
} from './printer-status';
export { Bitmap, encodePng, crc32 } from './png';
export { renderTicket, renderTicketPng } from './ticket-png';
export { PrinterSim, type PrinterSimOptions, type PrinterSimEvents, type PrintedTicket, type PrinterStatusEvent } from './printer.sim';
export {
  GateSim,
  type GateSimOptions,
  type GateSimEvents,
  type GateFault,
  type GateMode,
  type ModbusFraming,
  type CoilChange,
  type Pulse,
} from './gate.sim';
export { LineDisplayDecoder, type LineDisplayDecoderOptions, type LineDisplayPush } from './line-display-decoder';
export { DisplaySim, type DisplaySimOptions, type DisplaySimEvents } from './display.sim';
export { ScannerSim, type ScannerSimOptions, type ScannerSimEvents, type ScannerSuffix } from './scanner.sim';
export { runSimulateCli, type SimulateCliIo } from './cli';
