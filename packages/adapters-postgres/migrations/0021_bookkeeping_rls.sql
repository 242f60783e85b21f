-- Timers and the inbox are bookkeeping: their keys and message ids name any tenant's orders. Migration 0003 let
-- every API principal use them (`USING (app_role() IS NOT NULL)`), which covers reading as well as the writes it
-- was meant for, so a customer could list other tenants' order ids with a bare SELECT. The only thing an API
-- principal other than an admin does with them is schedule a timer (restaurant staff accepting an order schedule
-- its ready timer); the inbox is written by consumers as the system principal, and cancelling or finding timers
-- runs as the system principal or an admin. So tiffin_api keeps an append-only policy on timers and none on the
-- inbox; admins keep `admin_all` and workers `system_all`.
DROP POLICY tenant ON timers;
DROP POLICY tenant ON inbox;
CREATE POLICY append ON timers FOR INSERT TO tiffin_api WITH CHECK (app_role() IS NOT NULL);
