// Barrel of the TCP module: the socket API apps use and the input hook ip-input calls.
// Internals (output, timers, reassembly, congestion control) stay private to stack/tcp.

export { tcpInput, tcpInput6 } from './tcp-input';
export { TCP_CC_NAMES, tcpCcAlgorithm, tcpRecvSpace, tcpSackEnabled, tcpSetCcAlgorithm, tcpSetRecvSpace, tcpSetSackEnabled } from './tcp-cc-select';
export {
  tcpAbort,
  tcpAccept,
  tcpClose,
  tcpConnect,
  tcpConnect6,
  tcpListen,
  tcpListenClose,
  tcpReadable,
  tcpRecv,
  tcpRecvInto,
  tcpSend,
  tcpSendSpace,
  tcpSetNoDelay,
  tcpShutdown,
  tcpSocketList,
  type TcpSocketRow,
} from './tcp-socket';
export { TCP_STATE, type SocketOwner, type TcpConn, type TcpHandlers, type TcpListener, type TcpState } from './tcp-types';
