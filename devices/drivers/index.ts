/**
 * devices/drivers: state machines over a Transport and the protocol codecs, with timeouts,
 * retries, a status and typed events. The host's device manager configures them, persists what
 * they report (job states, gate openings) and shows their status; drivers never touch the
 * database or the UI. (The keyboard-wedge scanner detector is pure and runs in the renderer: it lives in
 * core/devices/keyboard-wedge.ts.)
 */
export {
  DriverEmitter,
  StatusCell,
  systemClock,
  delay,
  isUsable,
  type DriverState,
  type DriverStatus,
  type DriverClock,
  type TimerHandle,
} from './driver-status';
export {
  TicketPrinterDriver,
  TERMINAL_JOB_STATES,
  recoveryAfterRestart,
  reportFromReplies,
  evaluateReport,
  type PrintJob,
  type PrintJobState,
  type PrintJobEvent,
  type PrinterAlert,
  type PrinterReport,
  type JobRecovery,
  type TicketPrinterEvents,
  type TicketPrinterOptions,
} from './ticket-printer.driver';
export {
  LineDisplayDriver,
  type DisplayContent,
  type DisplayOutcome,
  type LineDisplayEvents,
  type LineDisplayDriverOptions,
} from './line-display.driver';
export {
  GateDriver,
  type GateBoard,
  type PulseMode,
  type GateDriverOptions,
  type GateOpenRequest,
  type GateOpened,
  type GateClosedCause,
  type GateEvents,
} from './gate.driver';
export { ModbusMaster, type ModbusFraming, type ModbusMasterOptions, type MasterRequest, type MasterResponse, type WriteRegisterRequest } from './modbus-master';
export { ScannerDriver, type ScannerDriverOptions, type ScannerEvents } from './scanner.driver';
