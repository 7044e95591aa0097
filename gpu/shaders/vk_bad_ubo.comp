// gpu/shaders/vk_bad_ubo.comp — a kernel rt_vk_kernel_compile must refuse:
// its buffer is a uniform block, and launches bind only storage buffers.
#version 450
layout(local_size_x = 1) in;
layout(set = 0, binding = 0) uniform U { uint u; };
layout(std430, set = 0, binding = 1) buffer O { uint o[]; };
void main() { o[0] = u; }
