/**
 * R-LOG-1: the Chinese name of every action written to the audit record, for the history of an
 * application and the staff audit page. `audit-actions.test.ts` checks that every action the code
 * writes has a name here.
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  // Accounts and providers
  "organisation.register": "服务商注册",
  "organisation.verify": "服务商审核通过",
  "organisation.refuse": "服务商审核不通过",
  "organisation.suspend": "暂停服务商申报资格",
  "organisation.lift_suspension": "恢复服务商申报资格",
  "organisation.summary_table_generate": "生成被诊断企业汇总表（M7）",
  "organisation.summary_table_upload": "上传被诊断企业汇总表（M7）",
  "organisation.payee_change": "变更收款账户",
  "organisation.payee_verify": "核验收款账户",
  "user.create": "创建账号",
  "user.invite": "发送邀请",
  "user.set_password": "设置密码",
  "user.set_roles": "变更角色",
  "user.disable": "停用账号",
  "user.enable": "启用账号",
  "user.request_password_reset": "申请重设密码",
  "user.reset_password": "重设密码",
  // Rounds
  "round.create": "创建批次",
  "round.update": "修改批次",
  "round.import_enterprises": "导入企业名单",
  "round.import_providers": "导入服务商名单",
  "round.notice": "设置公示",
  "round.similarity_threshold": "修改雷同标记阈值",
  "seed.load": "载入初始数据",
  // Filing, formal review and the supplement loop
  "application.create": "新建申报",
  "application.update": "修改申报信息",
  "application.submit": "提交申报",
  "application.resubmit": "提交补正材料",
  "application.withdraw": "服务商撤回申报草稿",
  "application.release_claim": "区工信局释放企业占用（撤销草稿）",
  "application.claim_refused": "重复申报被拒",
  "application.accept": "形式审查：受理",
  "application.return_for_supplement": "形式审查：退回补正",
  "application.refuse": "形式审查：不予受理",
  "application.paper_copies": "登记纸质材料",
  "application.objection_record": "登记公示异议",
  "application.objection_resolve": "处理公示异议",
  "material.add": "上传材料",
  "material.replace": "更换材料",
  "material.remove": "删除材料",
  "material.tag_photo": "修改照片类别",
  // Experts and assignment
  "expert.profile": "修改专家信息",
  "expert.conflict_add": "登记回避单位",
  "expert.conflict_remove": "删除回避单位",
  "expert.declare_conflicts": "专家申报回避单位",
  "assignment.auto": "自动分配评审专家",
  "assignment.add": "手动分配评审专家",
  "assignment.withdraw": "撤回专家分配",
  "assignment.confirm_no_conflict": "专家确认无利益冲突",
  "assignment.declare_conflict": "专家申报回避",
  // Reviews and results
  "review.submit": "专家提交评分",
  "review.resubmit": "专家重新提交评分",
  "review.reopen": "退回专家评分",
  "application.confirm_result": "确认评审结果",
  "application.copy_flag_cleared": "记录雷同标记非抄袭的理由",
  "application.complete_reviews": "评审完成",
  // Payouts
  "payout_batch.prepare": "编制拨付批次",
  "payout_batch.prepare_correction": "编制更正批次",
  "payout_batch.approve": "审批拨付批次",
  "payout_batch.return": "退回拨付批次",
  "payout_batch.mark_paid": "登记拨付",
  "payout_batch.reverse": "冲正已拨付批次",
  "application.add_to_batch": "编入拨付批次",
  "application.remove_from_batch": "移出拨付批次",
  "application.mark_paid": "确认已拨付",
  // Mail
  "mail.resend": "重新发送邮件",
  "application.reverse_payment": "冲正（拨付退回）",
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}
