// The supervisor's board of collectors (W5, R1): a snapshot for any day or range, and the live
// stream of today's board (Server-Sent Events, api/team-board-stream.ts).
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { TeamBoard, TeamBoardQuery, TeamBoardStreamQuery } from '../console-schemas.ts';
import { teamBoardContent, teamBoardDto } from '../console-dto.ts';
import { BoardStreams } from '../team-board-stream.ts';
import { boardBranch, getTeamBoard, readBoard } from '../../services/team-board.ts';
import { HttpProblem } from '../http/problem.ts';

export function teamRoutes(deps: ApiDeps, streams = new BoardStreams(deps.logger)): Router {
  const router = Router();
  const { db } = deps;

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/team/board',
    operationId: 'getTeamBoard',
    summary: "The collectors' board: accounts worked, contacts, promises, payments, now working on, idle time; for today or any days",
    tag: 'team',
    permission: 'team:monitor',
    query: TeamBoardQuery,
    responses: { 200: { description: 'One row per collector and the team’s totals', schema: TeamBoard }, 404: { description: 'No such branch (or not yours)' } },
    handler: async ({ principal, query }) => {
      if (query.date && (query.from || query.to)) throw new HttpProblem(400, 'validation_failed', 'give either date or from/to', [{ path: 'query.date', message: 'not together with from or to' }]);
      if (query.to && !query.from) throw new HttpProblem(400, 'validation_failed', 'to needs from', [{ path: 'query.from', message: 'required with to' }]);
      const board = await getTeamBoard(db, principal, { from: query.date ?? query.from, to: query.date ?? query.to, branchId: query.branchId });
      return { body: teamBoardDto(board) };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/team/board/stream',
    operationId: 'streamTeamBoard',
    summary: "Today's board as Server-Sent Events: an event `board` (the TeamBoard JSON) whenever it changes",
    tag: 'team',
    permission: 'team:monitor',
    query: TeamBoardStreamQuery,
    responses: { 200: { description: 'text/event-stream of `board` events', alsoAs: ['text/event-stream'] }, 404: { description: 'No such branch (or not yours)' } },
    handler: async ({ principal, query, req, res }) => {
      const branchId = await boardBranch(db, principal, query.branchId);
      streams.open(req, res, branchId ?? '*', async () => teamBoardContent(await readBoard(db, branchId, undefined)));
    },
  });
  return router;
}
