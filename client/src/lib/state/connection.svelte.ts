/** Live connection status, written by the socket module, read by the shell. */
class Connection {
  status = $state<'offline' | 'connecting' | 'online'>('offline');
  catchingUp = $state(false);
}
export const connection = new Connection();
