// Service themes shown on the portal: each opens a catalog search for its keyword.
// Grouped the way citizens look for things (个人办事 / 法人办事), not by department.
export interface Theme {
  title: string
  q: string
}

export const PERSONAL_THEMES: Theme[] = [
  { title: '户籍办理', q: '户籍' },
  { title: '身份证', q: '身份证' },
  { title: '社会保障', q: '社保' },
  { title: '医疗保障', q: '医保' },
  { title: '婚姻登记', q: '婚姻' },
  { title: '生育服务', q: '生育' },
  { title: '不动产登记', q: '不动产' },
  { title: '住房公积金', q: '公积金' },
  { title: '养老服务', q: '养老' },
  { title: '残疾人服务', q: '残疾' },
  { title: '社会救助', q: '救助' },
  { title: '教育入学', q: '入学' },
]

export const BUSINESS_THEMES: Theme[] = [
  { title: '企业开办', q: '企业开办' },
  { title: '营业执照', q: '营业执照' },
  { title: '税务办理', q: '税务' },
  { title: '工程建设', q: '工程建设' },
  { title: '食品经营', q: '食品经营' },
  { title: '招聘用工', q: '用工' },
]
