-- examples/sweep_batch_sizes.lua: how fast the batch engine evaluates programs at each
-- batch size, on the CPU and on the GPU, over the train inputs of the selected tasks.
--
--   batt run examples/sweep_batch_sizes.lua -c 100
--   batt run examples/sweep_batch_sizes.lua -c 100 -- 3      (programs of 3 steps)
--
-- It prints a table: batch size, then evaluations per second for each backend.
local steps = tonumber(batt.args[1]) or 1
-- one table over every selected task's inputs: one worker collects them all
batt.single_worker()

-- inputs: every train input of the selected tasks
local inputs = {}
for task in batt.tasks() do
  for _, pair in ipairs(task.train) do
    inputs[#inputs + 1] = pair.input
  end
end

-- programs: compositions of `steps` ops from a fixed list
local ops = { "rot90", "flip_updown", "crop_content", "dedupe", "gravity(down)", "outline(2)", "upscale(2)", "denoise" }
local programs = {}
for i = 1, 512 do
  local parts = {}
  for k = 1, steps do
    parts[k] = ops[(i * 7 + k * 3) % #ops + 1]
  end
  programs[i] = table.concat(parts, " | ")
end

local function rate(backend, n_programs, n_inputs)
  local ps, is = {}, {}
  for i = 1, n_programs do ps[i] = programs[(i - 1) % #programs + 1] end
  for i = 1, n_inputs do is[i] = inputs[(i - 1) % #inputs + 1] end
  local runs, started = 0, batt.now()
  repeat
    batt.eval(ps, is, is, { backend = backend })
    runs = runs + 1
  until batt.now() - started > 0.2
  return n_programs * n_inputs * runs / (batt.now() - started)
end

local backends = { "cpu" }
if not batt.backend():find("^cpu") then
  backends[2] = "gpu"
end
print(("%d-step programs, %d inputs; gpu = %s"):format(steps, #inputs, batt.backend()))
print(("%10s" .. string.rep(" %14s", #backends)):format("batch", table.unpack(backends)))
for _, size in ipairs({ 1, 10, 100, 1000, 10000, 100000 }) do
  local n_inputs = math.min(size, #inputs)
  local n_programs = math.max(1, size // n_inputs)
  local row = { ("%10d"):format(n_programs * n_inputs) }
  for _, backend in ipairs(backends) do
    row[#row + 1] = ("%12.0f/s"):format(rate(backend, n_programs, n_inputs))
  end
  print(table.concat(row, " "))
end
