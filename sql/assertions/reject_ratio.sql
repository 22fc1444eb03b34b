-- severity: error
-- Rejected rows of complete segments stay within policy.max_reject_ratio_bps of the kept rows.
SELECT sum(rejected) AS rejected, sum(accepted) AS accepted, any_value(rp.max_reject_ratio_bps) AS max_reject_ratio_bps
FROM scan_stats
CROSS JOIN run_params rp
HAVING sum(rejected) * 10000 > (sum(accepted) + sum(rejected)) * any_value(rp.max_reject_ratio_bps);
