import os
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
import random, subprocess
random.seed(42)
def rnd():
    k = random.random()
    intd = random.choice([0,1,1,2,3,4,5,8,12,20])
    fr = random.choice([0,0,1,2,3,4,5,7,10,17])
    s = ''.join(random.choice('0123456789') for _ in range(intd)) or '0'
    if fr: s += '.' + ''.join(random.choice('0123456789') for _ in range(fr))
    if random.random() < 0.4: s = '-' + s
    return s
pairs = []
specials = ['0','1','-1','3','7','0.1','0.0001','10000','9999.9999','1e-20','123456789012345678901234567890','0.000000001','2','4','10', '-0.5', '1.0000']
for a in specials:
    for b in specials:
        pairs.append((a,b))
for _ in range(250):
    pairs.append((rnd(), rnd()))
vals = ",".join(f"('{a}'::numeric,'{b}'::numeric, {i})" for i,(a,b) in enumerate(pairs))
q = f"""select a::text, b::text, (a+b)::text, (a-b)::text, (a*b)::text,
 case when b=0 then 'DIV0' else (a/b)::text end, case when b=0 then 'DIV0' else (a%b)::text end,
 round(a,2)::text, trunc(a,1)::text, round(a)::text, sign(a-b)::int::text
 from (values {vals}) t(a,b,i) order by i"""
out = subprocess.run(['psql','-h','127.0.0.1','-p',os.environ.get('PGPORT', '5492'),'-U','postgres','-At','-F','|','-c',q],capture_output=True,text=True,check=True).stdout
lines=[l for l in out.split('\n') if l]
with open(os.path.join(OUT, 'numeric_cases_test.inc'), 'w') as f:
    f.write('// Generated from PostgreSQL 15: a, b, a+b, a-b, a*b, a/b, a%b, round(a,2), trunc(a,1),\n// round(a), sign(a-b). DIV0 marks division by zero.\n')
    for l in lines:
        cols=l.split('|')
        f.write('{' + ', '.join('"%s"'%c for c in cols) + '},\n')
print(len(lines))
