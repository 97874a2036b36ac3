/** Who may do what on the complaints desk, in sentences. Rows reach these checks through the scope filter. */
import { can, type Actor } from '../../platform/access/actor.js';

interface At {
  unit_path: string;
  accepted_by: string | null;
}

export const complaintPolicy = {
  /** The desk (市/县 群众服务中心): register, route and transfer, merge, close, settings. */
  canManage: (actor: Actor, unitPath: string) => can(actor, 'complaint.manage', unitPath),
  /** The responsible unit: accept, reply, send back to the desk. */
  canHandle: (actor: Actor, c: At) => can(actor, 'complaint.handle', c.unit_path),
  /**
   * The complainant's phone is masked for everyone except the complaint's handler (who accepted it) and
   * holders of person.reveal over the responsible unit; every reveal is audited.
   */
  canRevealPhone: (actor: Actor, c: At) =>
    (actor.userId !== null && c.accepted_by === actor.userId) || can(actor, 'person.reveal', c.unit_path),
};
